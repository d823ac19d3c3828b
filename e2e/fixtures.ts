import { test as base } from '@playwright/test';
import {
  launchEngine,
  type Engine,
  type EngineCapabilities,
  type EngineName,
  type GotoOptions,
  type Tab,
} from './driver/index.js';

// Playwright Test fixtures over the driver layer: the browser is launched once per worker (a
// worker runs one project, i.e. one engine), every test gets fresh tabs of that browser's profile.

export interface WorkerFixtures {
  /** Set per project in playwright.config.ts. */
  engineName: EngineName;
  engine: Engine;
}

export interface TestFixtures {
  /** Opens a tab of the engine's profile (closed after the test if still open). */
  openTab: (url?: string, options?: GotoOptions) => Promise<Tab>;
  /** A blank tab, for tests that need just one. */
  tab: Tab;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  engineName: ['chromium', { scope: 'worker', option: true }],
  engine: [
    async ({ engineName }, use, workerInfo) => {
      const baseURL = String(workerInfo.project.use.baseURL);
      const engine = await launchEngine(engineName, {
        baseURL,
        display: process.env.E2E_DISPLAY,
      });
      await use(engine);
      await engine.quit();
    },
    { scope: 'worker', timeout: 120_000 },
  ],
  openTab: async ({ engine }, use) => {
    const tabs: Tab[] = [];
    await use(async (url, options) => {
      const tab = await engine.newTab(url, options);
      tabs.push(tab);
      return tab;
    });
    for (const tab of tabs) await tab.close().catch(() => undefined);
  },
  tab: async ({ openTab }, use) => {
    await use(await openTab());
  },
});

export { expect } from '@playwright/test';

/**
 * True when `engine` can do the step; otherwise records the skipped step by name (annotation and
 * a log line) and returns false, so the test skips that step only.
 */
export function engineCan(
  engine: Engine,
  capability: keyof EngineCapabilities,
  step: string,
): boolean {
  if (engine.capabilities[capability]) return true;
  const description = `${engine.name}: skipped step "${step}" (${capability} is false)`;
  test.info().annotations.push({ type: 'skipped step', description });
  console.log(`  ${description}`);
  return false;
}
