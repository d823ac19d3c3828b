import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';

// The package as a user gets it: `npm pack` of the built dist/ (npm test builds it first; the
// real `prepack` script builds too), installed into a fresh app folder from the tarball, then
// bundled with Vite and with rollup, imported from Node ESM, required from CommonJS, type-checked
// from a .cts file, and loaded by a <script> tag in Chromium.

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);
const node = (args: string[], cwd: string) => run(process.execPath, args, { cwd });

const CONSOLE_APP = [
  "import { LogContext, ConsoleSink } from 'mvx-logger';",
  "const log = new LogContext({ namespace: 'app', sinks: { console: new ConsoleSink({ format: 'json' }) } });",
  "log.info('hello from the bundle', { n: 1 });",
].join('\n');

let app = '';
let tarballFiles: string[] = [];

test.describe.configure({ mode: 'serial', timeout: 120_000 });
test.skip(() => test.info().project.name !== 'chromium', 'packaging does not depend on the engine');

test.beforeAll(async () => {
  test.setTimeout(120_000);
  app = mkdtempSync(join(tmpdir(), 'mvx-logger-app-'));
  const { stdout } = await run(
    'npm',
    ['pack', '--ignore-scripts', '--json', '--pack-destination', app],
    { cwd: ROOT },
  );
  const [packed] = JSON.parse(stdout);
  tarballFiles = packed.files.map((file: { path: string }) => file.path);
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'app', private: true, version: '1.0.0' }),
  );
  // From the local npm cache: idb is there since `npm ci` installed this repository.
  await run(
    'npm',
    [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      `./${packed.filename}`,
    ],
    { cwd: app },
  );
});

test.afterAll(() => {
  if (app) rmSync(app, { recursive: true, force: true });
});

test('the tarball holds dist/ (ESM, IIFE, .d.ts, maps), README, LICENSE, CHANGELOG and nothing else', () => {
  const outside = tarballFiles.filter(
    (file) =>
      !/^dist\/esm\/.+\.(js|js\.map|d\.ts)$/.test(file) &&
      !/^dist\/mvx-logger\.iife\.min\.js(\.map)?$/.test(file) &&
      !['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md'].includes(file),
  );
  expect(outside).toEqual([]);
  for (const needed of [
    'dist/esm/index.js',
    'dist/esm/index.js.map',
    'dist/esm/index.d.ts',
    'dist/mvx-logger.iife.min.js',
    'dist/mvx-logger.iife.min.js.map',
    'README.md',
    'LICENSE',
    'CHANGELOG.md',
  ])
    expect(tarballFiles).toContain(needed);
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  expect(manifest.scripts.prepack).toBe('npm run build');
});

test('Vite bundles it, tree-shaken: a console-only app has no IndexedDB or upload code', async () => {
  writeFileSync(join(app, 'index.html'), '<script type="module" src="./main.js"></script>\n');
  writeFileSync(join(app, 'main.js'), CONSOLE_APP);
  const { build } = await import('vite');
  await build({
    root: app,
    configFile: false,
    logLevel: 'silent',
    build: { outDir: join(app, 'vite-out'), minify: false },
  });
  const assets = join(app, 'vite-out/assets');
  const code = readdirSync(assets)
    .filter((file) => file.endsWith('.js'))
    .map((file) => readFileSync(join(assets, file), 'utf8'))
    .join('\n');
  expect(code).toContain('hello from the bundle');
  expect(code).toContain('LogConfigError');
  expect(code).not.toContain('indexedDB');
  expect(code).not.toContain('sendBeacon');
});

test('rollup bundles it, and the bundle runs', async () => {
  const { rollup } = await import('rollup');
  const { nodeResolve } = await import('@rollup/plugin-node-resolve');
  writeFileSync(join(app, 'rollup-entry.mjs'), CONSOLE_APP);
  const bundle = await rollup({
    input: join(app, 'rollup-entry.mjs'),
    plugins: [nodeResolve({ rootDir: app })],
  });
  await bundle.write({ file: join(app, 'rollup-out.mjs'), format: 'es' });
  await bundle.close();
  const { stdout } = await node(['rollup-out.mjs'], app);
  expect(JSON.parse(stdout)).toMatchObject({ namespace: 'app', message: 'hello from the bundle' });
});

test('Node ESM imports it', async () => {
  writeFileSync(join(app, 'esm.mjs'), CONSOLE_APP.replace('from the bundle', 'from import'));
  const { stdout, stderr } = await node(['esm.mjs'], app);
  expect(JSON.parse(stdout)).toMatchObject({ message: 'hello from import', payload: { n: 1 } });
  expect(stderr).toBe('');
});

test("CommonJS require()s it (Node's require(esm), through the `default` condition)", async () => {
  writeFileSync(
    join(app, 'cjs.cjs'),
    [
      "const { LogContext, ConsoleSink, LOG_LEVELS } = require('mvx-logger');",
      "const log = new LogContext({ namespace: 'cjs', sinks: new ConsoleSink({ format: 'json' }) });",
      "log.info('hello from require', { levels: LOG_LEVELS.length });",
    ].join('\n'),
  );
  const { stdout, stderr } = await node(['cjs.cjs'], app);
  expect(JSON.parse(stdout)).toMatchObject({ namespace: 'cjs', payload: { levels: 6 } });
  expect(stderr).toBe(''); // no ExperimentalWarning on the supported Node versions
});

test('a .cts consumer type-checks against the shipped .d.ts (module nodenext)', async () => {
  writeFileSync(
    join(app, 'consumer.cts'),
    [
      "import { LogContext, ConsoleSink, UploadSink, type LogEvent } from 'mvx-logger';",
      "const log = new LogContext({ namespace: 'cts', sinks: { console: new ConsoleSink() } });",
      "log.info('typed', { ok: true });",
      "export const upload = new UploadSink({ url: 'https://logs.example.com/v1/logs', encoding: 'otlp' });",
      'export const firstId = (events: readonly LogEvent[]): string | undefined => events[0]?.id;',
      '// @ts-expect-error -- an unknown level is a type error for consumers too',
      "log.verbose('nope');",
    ].join('\n'),
  );
  writeFileSync(
    join(app, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'ES2022',
        lib: ['ES2022', 'DOM'],
        strict: true,
        noEmit: true,
        types: [],
      },
      files: ['consumer.cts'],
    }),
  );
  await node([join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], app);
});

test('the IIFE loads by <script> and logs in Chromium', async ({ page }) => {
  const messages: string[] = [];
  page.on('console', (message) => messages.push(message.text()));
  writeFileSync(
    join(app, 'script-tag.html'),
    [
      '<script src="node_modules/mvx-logger/dist/mvx-logger.iife.min.js"></script>',
      '<script>',
      '  const { LogContext, ConsoleSink } = MvxLogger;',
      "  const log = new LogContext({ namespace: 'page', sinks: new ConsoleSink({ format: 'json' }) });",
      "  log.error('hello from the script tag', { ok: true });",
      '</script>',
    ].join('\n'),
  );
  await page.goto(pathToFileURL(join(app, 'script-tag.html')).href);
  await expect.poll(() => messages.join('\n')).toContain('hello from the script tag');
  expect(await page.evaluate(() => typeof (window as any).MvxLogger.UploadSink)).toBe('function');
});
