// Size budgets: bundles small consumer apps against the built dist/esm (as an app bundler would),
// minifies, gzips, and fails when a scenario exceeds its budget (or, while it is over budget, its
// regression `limit`), contains code it must not (tree
// shaking failed) or lacks code it must have (the scenario does not measure what it claims).
// Budgets live in one place: size-budgets.json. `npm test` runs this (`npm run size`).
// Flags: --json writes .bench-out/size.json; --readme writes the sizes into README.md's
// `<!-- size:a:gzip -->` markers; --show prints each bundle;
// --fresh measures src compiled now by tsc (into a temp dir) instead of dist/esm, so several
// people can measure without rebuilding the shared dist; --code '<app source>' measures one ad-hoc
// app importing 'mvx-logger' instead of the scenarios; --modules adds a per-module breakdown.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { rollup } from 'rollup';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ENTRY = '\0size-entry';
// The built ESM to measure; SIZE_ESM_DIR lets a developer measure another build (e.g. tsc output).
const DEFAULT_ESM_DIR = process.env.SIZE_ESM_DIR ?? `${ROOT}/dist/esm`;

/** The scenarios of size-budgets.json. */
export function loadScenarios(file = `${ROOT}/size-budgets.json`) {
  return JSON.parse(readFileSync(file, 'utf8')).scenarios;
}

/**
 * Bundles `code` (which imports 'mvx-logger', resolved to `esmDir`) and returns the minified output.
 * Importing a name the package does not export is an error, not a silently smaller bundle.
 */
export async function bundleScenario(code, esmDir = DEFAULT_ESM_DIR) {
  const problems = [];
  const bundle = await rollup({
    input: ENTRY,
    onwarn: (warning) => {
      if (warning.code === 'MISSING_EXPORT') problems.push(warning.message);
    },
    plugins: [
      {
        name: 'scenario',
        resolveId(id) {
          if (id === ENTRY) return ENTRY;
          if (id === 'mvx-logger') return `${esmDir}/index.js`;
          return null;
        },
        load: (id) => (id === ENTRY ? code : null),
      },
      // Bare imports of the package (idb) resolve from the repository, as in an app.
      resolve({ browser: true, rootDir: ROOT }),
    ],
  });
  const { output } = await bundle.generate({
    format: 'es',
    plugins: [terser({ ecma: 2022, module: true, compress: { passes: 2 } })],
  });
  await bundle.close();
  if (problems.length) throw new Error(`scenario imports what the package lacks: ${problems}`);
  return output[0].code;
}

/** Measures scenarios; returns rows with min and min+gzip sizes and what is wrong, if anything. */
export async function measure(scenarios = loadScenarios(), esmDir = DEFAULT_ESM_DIR) {
  const rows = [];
  for (const s of scenarios) {
    const min = await bundleScenario(s.code, esmDir);
    const gzip = gzipSync(min, { level: 9 }).length;
    const forbidden = (s.forbid ?? []).filter((needle) => min.includes(needle));
    const missing = (s.require ?? []).filter((needle) => !min.includes(needle));
    rows.push({
      name: s.name,
      min: min.length,
      gzip,
      budget: s.budget,
      limit: s.limit ?? s.budget,
      forbidden,
      missing,
      ok: gzip <= (s.limit ?? s.budget) && forbidden.length === 0 && missing.length === 0,
      code: min,
    });
  }
  return rows;
}

/** One line per row, as printed by `npm run size`. */
export function formatRow(r) {
  const pad = (n, w) => String(n).padStart(w);
  return (
    `${r.ok ? 'ok  ' : 'FAIL'} ${r.name.padEnd(28)} ${pad(r.min, 6)} B min  ` +
    `${pad(r.gzip, 5)} B min+gzip  budget ${r.budget} B` +
    (r.gzip > r.budget ? `  OVER BUDGET by ${r.gzip - r.budget} B` : '') +
    (r.limit !== r.budget ? `  (enforced limit ${r.limit} B)` : '') +
    (r.forbidden.length ? `  contains forbidden: ${r.forbidden.join(', ')}` : '') +
    (r.missing.length ? `  lacks required: ${r.missing.join(', ')}` : '')
  );
}

/** `bytes` as the README writes it: `4 499 B`. */
const readmeBytes = (bytes) => `${String(bytes).replace(/\B(?=(\d{3})+$)/g, ' ')} B`;

/**
 * `readme` with each `<!-- size:a:gzip -->… B` (and `:min`) marker followed by the measured size of
 * the scenario named `(a) …`; markers of scenarios not measured are left as they are.
 */
export function fillReadmeSizes(readme, rows) {
  return readme.replace(/(<!-- size:([a-z]):(gzip|min) -->)[\d ]+ B/g, (text, marker, id, kind) => {
    const row = rows.find((r) => r.name.startsWith(`(${id})`));
    return row ? marker + readmeBytes(row[kind]) : text;
  });
}

/** Per-module minified sizes of one app, largest first (an approximation: minified alone). */
async function moduleBreakdown(code, esmDir) {
  const { minify } = await import('terser');
  const bundle = await rollup({
    input: ENTRY,
    plugins: [
      {
        name: 'scenario',
        resolveId: (id) =>
          id === ENTRY ? ENTRY : id === 'mvx-logger' ? `${esmDir}/index.js` : null,
        load: (id) => (id === ENTRY ? code : null),
      },
      resolve({ browser: true, rootDir: ROOT }),
    ],
  });
  const { output } = await bundle.generate({ format: 'es' });
  await bundle.close();
  const rows = [];
  for (const [id, m] of Object.entries(output[0].modules)) {
    if (!m.code) continue;
    const min = (await minify(m.code, { module: true, compress: false })).code;
    rows.push(
      `${String(min.length).padStart(7)} B min ${String(gzipSync(min).length).padStart(6)} B gz  ${id.replace(esmDir + '/', '').replace(/.*node_modules\//, '')}`,
    );
  }
  return rows.sort().reverse();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (flag) => process.argv.includes(flag);
  let esmDir = DEFAULT_ESM_DIR;
  if (arg('--fresh')) {
    // Inside the repository (git-ignored), so bare imports (idb) resolve from its node_modules
    // and the package's `sideEffects: false` applies as it does to dist/esm.
    mkdirSync(`${ROOT}/.scratch`, { recursive: true });
    esmDir = mkdtempSync(`${ROOT}/.scratch/size-`);
    process.on('exit', () => rmSync(esmDir, { recursive: true, force: true }));
    const tsc = `${ROOT}/node_modules/typescript/bin/tsc`;
    const flags = ['--declaration', 'false', '--declarationMap', 'false', '--sourceMap', 'false'];
    try {
      execFileSync(process.execPath, [
        tsc,
        '-p',
        `${ROOT}/tsconfig.json`,
        '--outDir',
        esmDir,
        ...flags,
      ]);
    } catch {
      // tsc emits despite type errors; the measurement is still meaningful mid-edit.
    }
  }
  const codeAt = process.argv.indexOf('--code');
  const scenarios =
    codeAt > 0
      ? [{ name: '(ad hoc)', code: process.argv[codeAt + 1], budget: Infinity }]
      : loadScenarios();
  const rows = await measure(scenarios, esmDir);
  for (const r of rows) {
    console.log(formatRow(r));
    if (arg('--show')) console.log(r.code + '\n');
    if (arg('--modules')) {
      const s = scenarios.find((x) => x.name === r.name);
      for (const line of await moduleBreakdown(s.code, esmDir)) console.log('   ' + line);
    }
  }
  if (arg('--readme')) {
    const readmePath = `${ROOT}/README.md`;
    writeFileSync(readmePath, fillReadmeSizes(readFileSync(readmePath, 'utf8'), rows));
  }
  if (process.argv.includes('--json')) {
    mkdirSync(`${ROOT}/.bench-out`, { recursive: true });
    const out = rows.map(({ code: _code, ...row }) => row);
    writeFileSync(`${ROOT}/.bench-out/size.json`, JSON.stringify(out, null, 2) + '\n');
  }
  const failed = rows.filter((r) => !r.ok);
  console.log(`${rows.length - failed.length} passed, ${failed.length} failed`);
  if (failed.length) process.exit(1);
}
