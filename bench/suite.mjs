// `npm run bench:suite`: the mvx-only hot-path benchmarks in Node and in headless Chromium (built dist/ required;
// run `npm run build` first). Prints ns per call and the ratio to an empty-call baseline; writes
// .bench-out/bench.json. `--quick` for fewer, shorter rounds; `--node` / `--browser` for one side.
import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright';
import { startServer } from '../demo/server.mjs';
import { runSuite } from './harness.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BENCH = join(ROOT, 'bench');
const args = new Set(process.argv.slice(2));
const options = args.has('--quick') ? { minMs: 20, rounds: 5 } : { minMs: 60, rounds: 11 };
const caseFiles = readdirSync(join(BENCH, 'cases'))
  .filter((f) => f.endsWith('.mjs'))
  .sort();
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

if (!existsSync(join(ROOT, 'dist', 'esm', 'index.js'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(1);
}

function print(title, result) {
  console.log(`\n${title}`);
  for (const r of result.rows) {
    if (r.error) console.log(`  ${r.name.padEnd(72)} error: ${r.error}`);
    else
      console.log(
        `  ${r.name.padEnd(72)} ${r.nsPerCall.toFixed(2).padStart(9)} ns  ${r.ratio.toFixed(2).padStart(8)}×`,
      );
  }
  for (const s of result.scenarios ?? []) {
    console.log(
      `  ${s.name.padEnd(72)} ${s.error ? `error: ${s.error}` : JSON.stringify(s.result)}`,
    );
  }
}

const out = {};
if (!args.has('--browser')) {
  const lib = await import(pathToFileURL(join(ROOT, 'dist', 'esm', 'index.js')).href);
  const modules = await Promise.all(
    caseFiles.map((f) => import(pathToFileURL(join(BENCH, 'cases', f)).href)),
  );
  out.node = { rows: runSuite(lib, modules, options), scenarios: [], version: process.version };
  print(`Node ${process.version}`, out.node);
}

if (!args.has('--node')) {
  const serveBench = (req, res, url) => {
    if (!url.pathname.startsWith('/bench/')) return false;
    const file = join(BENCH, url.pathname.slice('/bench/'.length));
    if (!file.startsWith(BENCH) || !existsSync(file)) return false;
    const type = extname(file) === '.html' ? 'text/html' : 'text/javascript';
    res.writeHead(200, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' });
    res.end(readFileSync(file));
    return true;
  };
  const { server, port } = await startServer({ port: 0, extraRoutes: serveBench });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => console.error('page error:', e));
    await page.goto(`http://127.0.0.1:${port}/bench/page.html`);
    await page.waitForFunction(() => window.benchReady === true);
    out.chromium = await page.evaluate(
      ([files, opts]) => window.runBench(files, opts),
      [caseFiles, options],
    );
    print(
      `Chromium (${out.chromium.userAgent.match(/Chrome\/[\d.]+/)?.[0] ?? 'headless'})`,
      out.chromium,
    );
  } finally {
    await browser.close();
    server.close();
  }
}

mkdirSync(join(ROOT, '.bench-out'), { recursive: true });
writeFileSync(join(ROOT, '.bench-out', 'bench.json'), JSON.stringify(out, null, 2));
console.log('\nwritten: .bench-out/bench.json');
