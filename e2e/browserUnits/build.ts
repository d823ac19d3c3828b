import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'rolldown';

// Bundles test/browser/*.test.ts for the driver layer: `vitest` is aliased to vitestShim.ts, each
// test file becomes `<name>.js` next to an HTML page `<name>.html` that loads it as a module, and a
// worker a test starts with `new URL('./x.ts', import.meta.url)` is bundled as `x.js` beside it.
// demo/server.mjs serves the output directory at /__units/ (and the collector at /__collector/).

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const UNIT_DIR = join(ROOT, 'test', 'browser');
/** Where the bundles go; demo/server.mjs serves it at /__units/. */
export const UNIT_OUT_DIR = join(ROOT, 'node_modules', '.cache', 'browser-units');
/** Workers started by the test files, bundled beside them. */
const WORKERS = ['indexeddbWorker.ts'];
/** The page that checks the runner itself (e2e/browserUnits.spec.ts). */
export const RUNNER_CHECK = 'runnerCheck';

/** The test files, e.g. `upload.test.ts`, sorted. */
export function unitTestFiles(): string[] {
  return readdirSync(UNIT_DIR)
    .filter((file) => file.endsWith('.test.ts'))
    .sort();
}

/** `new URL('./worker.ts', import.meta.url)` → `./worker.js`, the worker's bundle. */
function workerUrls(): Plugin {
  return {
    name: 'browser-units-worker-urls',
    transform(code) {
      if (!code.includes('import.meta.url')) return null;
      return code.replace(
        /new URL\((['"])\.\/([\w-]+)\.ts\1, import\.meta\.url\)/g,
        (_match, _quote, name: string) => `new URL('./${name}.js', import.meta.url)`,
      );
    },
  };
}

/** Builds every test file (and worker) into `outDir`; returns the test files built. */
export async function buildUnitPages(outDir: string): Promise<string[]> {
  const files = unitTestFiles();
  mkdirSync(outDir, { recursive: true });
  const input = Object.fromEntries(
    [...files, ...WORKERS].map((file) => [basename(file, '.ts'), join(UNIT_DIR, file)]),
  );
  input[RUNNER_CHECK] = fileURLToPath(new URL(`./${RUNNER_CHECK}.ts`, import.meta.url));
  await build({
    input,
    platform: 'browser',
    resolve: {
      alias: { vitest: fileURLToPath(new URL('./vitestShim.ts', import.meta.url)) },
    },
    plugins: [workerUrls()],
    logLevel: 'warn',
    output: {
      dir: outDir,
      format: 'es',
      entryFileNames: '[name].js',
      chunkFileNames: 'chunk-[name]-[hash].js',
    },
  });
  for (const name of [...files.map((file) => basename(file, '.ts')), RUNNER_CHECK]) {
    writeFileSync(
      join(outDir, `${name}.html`),
      `<!doctype html>\n<meta charset="utf-8">\n<title>${name}</title>\n` +
        // Errors while the test file loads (a failing import, a throwing top-level statement).
        `<script>window.browserUnitsLoadErrors = [];\n` +
        `addEventListener('error', (e) => browserUnitsLoadErrors.push(String(e.message)));</script>\n` +
        `<script type="module" src="./${name}.js"></script>\n` +
        // Module scripts run in order; this one runs even when the test file's failed.
        `<script type="module">window.browserUnitsLoaded = true;</script>\n`,
    );
  }
  return files;
}
