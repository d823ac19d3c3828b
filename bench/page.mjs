// Runs the suite in the page; bench/run.mjs drives it through Playwright.
import { runScenarios, runSuite } from '/bench/harness.mjs';

window.runBench = async (caseFiles, options) => {
  const modules = await Promise.all(caseFiles.map((f) => import(`/bench/cases/${f}`)));
  const rows = runSuite(window.MvxLogger, modules, options);
  const scenarios =
    options.scenarios === false ? [] : await runScenarios(window.MvxLogger, modules);
  return { rows, scenarios, userAgent: navigator.userAgent };
};
window.benchReady = true;
