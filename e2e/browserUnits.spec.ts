import { rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildUnitPages,
  RUNNER_CHECK,
  UNIT_DIR,
  UNIT_OUT_DIR,
  unitTestFiles,
} from './browserUnits/build.js';
import { exceptionFor, UNIT_EXCEPTIONS } from './browserUnits/engineExceptions.js';
import { declaredTests } from './browserUnits/names.js';
import type { Engine, Tab } from './driver/index.js';
import { expect, test } from './fixtures.js';

// The real-browser unit tests (test/browser/*.test.ts; vitest browser mode runs them in Chromium)
// through the driver layer, in every engine: each file is bundled with `vitest` aliased to a small
// in-page runner (browserUnits/vitestShim.ts), its page is opened once, and each of its tests is a
// Playwright test here that runs it in that page, in file order, like vitest. Tests whose subject
// is Chromium-only, and measured known gaps, are listed by name in browserUnits/engineExceptions.ts.

declare global {
  interface Window {
    browserUnitsLoaded?: boolean;
    browserUnitsLoadErrors?: string[];
  }
}

// vitest browser mode runs these files in Chromium (`npm run test:unit`); E2E_UNITS_CHROMIUM=1 runs
// them through this runner in Chromium too, as a cross-check of the runner.
test.skip(
  ({ engineName }) => engineName === 'chromium' && process.env.E2E_UNITS_CHROMIUM !== '1',
  'Chromium runs test/browser in vitest browser mode (E2E_UNITS_CHROMIUM=1 runs it here too)',
);

/** This worker's bundles, under /__units/ (each worker builds its own: workers run at once). */
let pagesDir = '';

test.beforeAll(async ({ engineName }, workerInfo) => {
  pagesDir = `${engineName}-${workerInfo.workerIndex}`;
  await buildUnitPages(join(UNIT_OUT_DIR, pagesDir));
});

test.afterAll(() => {
  rmSync(join(UNIT_OUT_DIR, pagesDir), { recursive: true, force: true });
});

/** Opens a bundled page and waits until its module scripts ran; fails on an error while loading. */
async function openUnitPage(engine: Engine, name: string): Promise<Tab> {
  const page = await engine.newTab(`/__units/${pagesDir}/${name}.html`);
  await page.waitFor(() => window.browserUnitsLoaded === true);
  const loadErrors = await page.evaluate(() => window.browserUnitsLoadErrors ?? []);
  expect(loadErrors, `${name} loads without errors`).toEqual([]);
  return page;
}

test.describe('the in-page runner', () => {
  test('reports failures by name and message, and runs hooks in vitest order', async ({
    engine,
  }) => {
    const page = await openUnitPage(engine, RUNNER_CHECK);
    const names = await page.evaluate(() => window.browserUnits!.list());
    expect(names).toEqual(
      declaredTests(new URL(`./browserUnits/${RUNNER_CHECK}.ts`, import.meta.url).pathname),
    );
    const results: Record<string, { passed: boolean; error?: string }> = {};
    for (const name of names) {
      results[name.replace('runner check > ', '')] = await page.evaluate(
        (testName) => window.browserUnits!.run(testName),
        name,
      );
    }
    const order = await page.evaluate(() => (window as any).runnerCheckOrder);
    await page.close();
    expect(results['passes, with a spy that is restored']).toMatchObject({ passed: true });
    const failed = (name: string) => results[name].passed === false && results[name].error;
    expect(failed('fails an expect')).toContain('expected { answer: 41 } to deeply equal');
    expect(failed('fails on an uncaught error')).toContain('uncaught in a timer');
    expect(failed('fails when vi.waitFor gives up')).toContain("expected 'never' to be 'ready'");
    expect(failed('fails on its timeout')).toContain('test timed out in 200 ms');
    expect(order.slice(0, 6)).toEqual([
      'beforeEach outer',
      'beforeEach inner',
      'body',
      'afterEach inner',
      'afterEach outer',
      'cleanup inner',
    ]);
  });

  test('every listed exception names a test that exists', () => {
    for (const entry of UNIT_EXCEPTIONS) {
      const declared = declaredTests(join(UNIT_DIR, entry.file));
      if (entry.test !== '*') expect(declared, `${entry.file}`).toContain(entry.test);
    }
  });
});

for (const file of unitTestFiles()) {
  const name = file.replace(/\.ts$/, '');
  const declared = declaredTests(join(UNIT_DIR, file));

  test.describe(file, () => {
    let page: Tab;

    test.beforeAll(async ({ engine }) => {
      page = await openUnitPage(engine, name);
      const registered = await page.evaluate(() => window.browserUnits?.list() ?? []);
      expect(registered, `${file} registers the tests its source declares`).toEqual(declared);
    });

    test.afterAll(async () => {
      await page?.close().catch(() => undefined);
    });

    for (const fullName of declared) {
      test(fullName, async ({ engineName }) => {
        const exception = exceptionFor(file, fullName, engineName);
        if (exception?.kind === 'not-in-engine') test.skip(true, exception.reason);
        if (exception?.kind === 'known-gap') {
          test.fixme(
            process.env.E2E_KNOWN_GAPS !== 'run',
            `known gap in ${engineName}: ${exception.reason}`,
          );
        }
        const result = await page.evaluate(
          (testName) => window.browserUnits!.run(testName),
          fullName,
        );
        test
          .info()
          .annotations.push({ type: 'duration in page', description: `${result.durationMs} ms` });
        expect(result.passed, `${file} > ${fullName} in ${engineName}:\n${result.error}`).toBe(
          true,
        );
      });
    }
  });
}
