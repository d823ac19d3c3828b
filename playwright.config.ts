import { defineConfig } from '@playwright/test';
import { portFor, selectedEngines } from './e2e/engines.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './test/chromium.js';

// One project per engine (E2E_ENGINES narrows), each with its own server port (E2E_PORT + 0/1/2).
// Specs written on the driver layer (e2e/fixtures.ts) run in every engine; any other spec (on
// Playwright's own `page` fixture) runs in Chromium only.
const EVERY_ENGINE = [
  'browserUnits.spec.ts',
  'driver.spec.ts',
  'indexeddb.spec.ts',
  'indexeddbCrash.spec.ts',
  'indexeddbExact.spec.ts',
  'indexeddbTabs.spec.ts',
  'upload.spec.ts',
  'snippet.spec.ts',
  'otelCollector.spec.ts',
  'otelCollectorSlow.spec.ts',
  'worker.spec.ts',
  'csp.spec.ts',
  'console.spec.ts',
  'demoGuards.spec.ts',
  'mangledBuild.spec.ts',
  'cdn.spec.ts',
  'demo.spec.ts',
  'docsExamples.spec.ts',
];
const engines = selectedEngines();

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  forbidOnly: !!process.env.CI,
  // In CI a failed test runs once more, and Playwright's summary lists it as flaky (a real
  // regression fails both times). Locally 0, so a flake is seen. Measured flakes left: single
  // drain batches in Firefox when a tab is closed over WebDriver BiDi (see the closing notes).
  retries: process.env.CI ? 1 : 0,
  workers: 2,
  timeout: 60_000,
  reporter: 'list',
  globalSetup: './e2e/globalSetup.ts',
  use: {
    headless: true,
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
  },
  projects: engines.map((engine) => ({
    name: engine,
    testMatch: engine === 'chromium' ? '**/*.spec.ts' : EVERY_ENGINE,
    use: {
      engineName: engine,
      browserName: 'chromium' as const,
      baseURL: `http://127.0.0.1:${portFor(engine)}`,
    },
  })),
  webServer: engines.map((engine) => ({
    command: 'node demo/server.mjs',
    url: `http://127.0.0.1:${portFor(engine)}/health`,
    env: { PORT: String(portFor(engine)) },
    // Never another checkout's server: a busy port fails the run instead.
    reuseExistingServer: false,
    timeout: 30_000,
  })),
});
