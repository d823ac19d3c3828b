// `npm run bench`: mvx-logger side by side with pino (browser build), OpenTelemetry sdk-logs (batch
// processor + OTLP/HTTP exporter, network stubbed) and LogTape, in Node and headless Chromium.
// Each case of each library runs in a fresh process / fresh page per round (cases measured one
// after another in one process change each other's cost: see peers/runLibrary.mjs); the table
// shows medians over rounds and each mvx-logger figure as a ratio to pino measured in the same run. Installs the
// peers (bench/package.json) and builds dist/ when missing. Writes bench/results.md and
// .bench-out/peers.json. `--quick`: fewer rounds; `--node` / `--browser`: one side only.
// The mvx-only suite (IndexedDB, upload scenarios) is `npm run bench:suite`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CASES, LIBRARIES, LIBRARY_NAMES } from './peers/cases.mjs';
import { formatReadme, formatTables, replaceReadmeTable } from './peers/report.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BENCH = join(ROOT, 'bench');
const BUNDLE = join(BENCH, '.build', 'peers.mjs');
const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const ROUNDS = quick ? 2 : 5;
const OPTIONS = quick
  ? { sync: { minMs: 0.5, rounds: 61, warmMs: 20 }, async: { events: 100, rounds: 21, warmup: 10 } }
  : {
      sync: { minMs: 0.5, rounds: 201, warmMs: 40 },
      async: { events: 100, rounds: 81, warmup: 20 },
    };
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

const run = (command, commandArgs, cwd) => {
  const result = spawnSync(command, commandArgs, { cwd, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${commandArgs.join(' ')} failed`);
};

// 1. the peers, in bench/'s own node_modules (the root install stays lean)
if (!existsSync(join(BENCH, 'node_modules', 'pino', 'package.json'))) {
  console.log('installing the peers (bench/package.json) …');
  run('npm', ['ci', '--no-audit', '--no-fund'], BENCH);
}
// 2. mvx-logger as users get it
if (!existsSync(join(ROOT, 'dist', 'esm', 'index.js'))) {
  console.log('building dist/ …');
  run('npm', ['run', 'build'], ROOT);
}
// 3. one bundle of every library for both sides (the browser builds, network through fetch)
const { build } = await import(join(BENCH, 'node_modules', 'esbuild', 'lib', 'main.js'));
await build({
  entryPoints: [join(BENCH, 'peers', 'entry.mjs')],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  outfile: BUNDLE,
  logLevel: 'warning',
  nodePaths: [join(BENCH, 'node_modules'), join(ROOT, 'node_modules')],
});

const versionOf = (name, root = BENCH) =>
  JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
const versions = {
  mvx: JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version,
  pino: versionOf('pino'),
  otel: `sdk-logs ${versionOf('@opentelemetry/sdk-logs')}, exporter ${versionOf('@opentelemetry/exporter-logs-otlp-http')}`,
  logtape: versionOf('@logtape/logtape'),
};

/**
 * rounds × (library, case) pairs, each measured by `measureCase` in a fresh process / page. Pairs
 * go case by case (the libraries' figures of one case are measured close in time), and each round
 * starts at a different pair (drift hits all alike).
 */
async function rounds(listCases, measureCase) {
  const caseIdsOf = {};
  for (const library of LIBRARIES) caseIdsOf[library] = await listCases(library);
  const pairs = CASES.flatMap(({ id }) =>
    LIBRARIES.filter((library) => caseIdsOf[library].includes(id)).map((library) => ({
      library,
      id,
    })),
  );
  const samples = Object.fromEntries(
    LIBRARIES.map((library) => [library, Array.from({ length: ROUNDS }, () => ({}))]),
  );
  for (let round = 0; round < ROUNDS; round++) {
    const start = Math.floor((round * pairs.length) / ROUNDS);
    for (let index = 0; index < pairs.length; index++) {
      const { library, id } = pairs[(start + index) % pairs.length];
      Object.assign(samples[library][round], await measureCase(library, id));
      process.stdout.write('.');
    }
  }
  process.stdout.write('\n');
  return samples;
}

const engines = {};
const started = Date.now();

if (!args.has('--browser')) {
  console.log(`Node ${process.version}: ${ROUNDS} rounds, a fresh process per case and library`);
  const node = (library, only) => {
    const child = spawnSync(
      process.execPath,
      [join(BENCH, 'peers', 'node.mjs'), library, JSON.stringify(OPTIONS), BUNDLE, only],
      { encoding: 'utf8', maxBuffer: 1 << 24 },
    );
    if (child.status !== 0) throw new Error(`${library} ${only} (Node) failed:\n${child.stderr}`);
    return JSON.parse(child.stdout);
  };
  engines.Node = {
    version: process.version,
    samples: await rounds(
      (library) => node(library, '--list'),
      (library, id) => node(library, id),
    ),
  };
}

if (!args.has('--node')) {
  const { chromium } = await import('playwright');
  const server = createServer((req, res) => {
    const path = normalize(join(ROOT, new URL(req.url, 'http://x').pathname));
    if (!path.startsWith(BENCH) || !existsSync(path)) return res.writeHead(404).end();
    const type = extname(path) === '.html' ? 'text/html' : 'text/javascript';
    res.writeHead(200, {
      'content-type': `${type}; charset=utf-8`,
      'cache-control': 'no-store',
      // cross-origin isolated: performance.now() to 5 µs instead of 100 µs
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
    });
    res.end(readFileSync(path));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}/bench/peers/page.html`;
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const version = browser.version();
    console.log(`Chromium ${version}: ${ROUNDS} rounds, a fresh page per case and library`);
    const inPage = async (evaluate) => {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        page.on('pageerror', (error) => console.error('page error:', error));
        await page.goto(url);
        await page.waitForFunction(() => window.benchReady === true);
        return await evaluate(page);
      } finally {
        await context.close();
      }
    };
    engines.Chromium = {
      version,
      samples: await rounds(
        (library) => inPage((page) => page.evaluate((lib) => window.caseIds(lib), library)),
        (library, id) =>
          inPage((page) =>
            page.evaluate(
              ([lib, options, only]) => window.runLibrary(lib, options, only),
              [library, OPTIONS, id],
            ),
          ),
      ),
    };
  } finally {
    await browser.close();
    server.close();
  }
}

const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, load average ${loadavg()[0].toFixed(1)}`;
const meta = {
  date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
  machine,
  versions,
  rounds: ROUNDS,
  seconds: Math.round((Date.now() - started) / 1000),
};
const { terminal, markdown } = formatTables(engines, meta, { CASES, LIBRARIES, LIBRARY_NAMES });
console.log(terminal);
writeFileSync(join(BENCH, 'results.md'), markdown);
// the README shows the latest full run (not a --quick or one-sided one)
if (!quick && engines.Node && engines.Chromium) {
  const readmePath = join(ROOT, 'README.md');
  const table = formatReadme({ Chromium: engines.Chromium, Node: engines.Node }, meta, {
    CASES,
    LIBRARIES,
    LIBRARY_NAMES,
  });
  const updated = replaceReadmeTable(readFileSync(readmePath, 'utf8'), table);
  if (updated) writeFileSync(readmePath, updated);
  else console.warn('README.md has no <!-- bench:start --> … <!-- bench:end --> block');
}
mkdirSync(join(ROOT, '.bench-out'), { recursive: true });
writeFileSync(join(ROOT, '.bench-out', 'peers.json'), JSON.stringify({ meta, engines }, null, 2));
console.log(
  'written: bench/results.md, .bench-out/peers.json (and the README table after a full run)',
);
