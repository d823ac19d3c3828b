import type { Engine, Tab } from './driver/index.js';
import { expect } from './fixtures.js';

// Console calls and page errors from a page's first script on, in every engine. Chromium's and
// Firefox's drivers report them as events; WebKit's WebDriver classic cannot, and its driver's own
// recorder is installed only after each load. There the page is asked for with `?e2e-record`: the
// server adds e2e/public/page-recorder.js as its first script (demo/e2eHooks.mjs), which records
// under the name the WebKit driver reads, so `tab.consoleEntries()` and `tab.pageErrors()` then
// cover the whole page life in every engine.

/** True when the engine's driver itself sees console calls and page errors from the start. */
const driverRecords = (engine: Engine) =>
  engine.capabilities.supportsConsoleEvents && engine.capabilities.supportsPageErrors;

/**
 * `url` as the test should open it in `engine`: with `e2e-record` where the driver does not see the
 * page from its first script, or everywhere when `always` (for the CSP violations it records).
 */
export function recordedUrl(engine: Engine, url: string, always = false): string {
  if (driverRecords(engine) && !always) return url;
  return `${url}${url.includes('?') ? '&' : '?'}e2e-record`;
}

/** Checks that the page recorder ran as the first script, where the test relies on it. */
export async function expectRecordedFromStart(engine: Engine, tab: Tab, always = false) {
  if (driverRecords(engine) && !always) return;
  const fromStart = await tab.evaluate(() => (window as any).__e2eRecorder?.fromFirstScript);
  expect(fromStart, 'e2e/public/page-recorder.js ran before the page').toBe(true);
}

/** CSP violations the page recorder saw (`securitypolicyviolation`), as `directive blockedURI`. */
export async function recordedViolations(tab: Tab): Promise<string[]> {
  return tab.evaluate(() => [...((window as any).__e2eRecorder?.violations ?? [])]);
}
