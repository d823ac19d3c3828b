import { playwright } from '@vitest/browser-playwright';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
// @ts-expect-error -- plain ESM module without types
import { createCollector } from './demo/collector.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './test/chromium.js';

/** Mounts the local collector at /__collector on the browser tests' dev server. */
function collectorPlugin(): Plugin {
  const collector = createCollector();
  return {
    name: 'mvx-collector',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        if (!url.pathname.startsWith('/__collector/')) return next();
        url.pathname = url.pathname.slice('/__collector'.length);
        if (!collector.handle(req, res, url)) next();
      });
    },
  };
}

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['test/unit/**/*.test.ts'],
          // No test depends on timing; this only bounds a hung one. Some check bounds over
          // 100,000-1,000,000 calls, which takes seconds on a loaded 2-core machine.
          testTimeout: 30_000,
        },
      },
      {
        plugins: [collectorPlugin()],
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({
              launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
            }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
});
