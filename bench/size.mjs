// Size budgets: bundles small consumer apps against the built dist/esm (as an app bundler would),
// minifies, gzips, and fails when a scenario exceeds its budget or contains code it must not.
// Budgets live in one place: size-budgets.json.
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { rollup } from 'rollup';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { scenarios } = JSON.parse(readFileSync(`${ROOT}/size-budgets.json`, 'utf8'));
const ENTRY = '\0size-entry';
// The built ESM to measure; SIZE_ESM_DIR lets a developer measure another build (e.g. tsc output).
const ESM_DIR = process.env.SIZE_ESM_DIR ?? `${ROOT}/dist/esm`;

/** Bundles `code` (which imports 'mvx-logger') and returns the minified output. */
export async function bundleScenario(code) {
  const bundle = await rollup({
    input: ENTRY,
    onwarn: () => {},
    plugins: [
      {
        name: 'scenario',
        resolveId(id) {
          if (id === ENTRY) return ENTRY;
          if (id === 'mvx-logger') return `${ESM_DIR}/index.js`;
          return null;
        },
        load: (id) => (id === ENTRY ? code : null),
      },
      resolve({ browser: true }),
    ],
  });
  const { output } = await bundle.generate({
    format: 'es',
    plugins: [terser({ ecma: 2020, module: true, compress: { passes: 2 } })],
  });
  await bundle.close();
  return output[0].code;
}

/** Measures every scenario; returns rows with min and gzip sizes and violations. */
export async function measure() {
  const rows = [];
  for (const s of scenarios) {
    const min = await bundleScenario(s.code);
    const gzip = gzipSync(min, { level: 9 }).length;
    const forbidden = s.forbid.filter((needle) => min.includes(needle));
    rows.push({
      name: s.name,
      min: min.length,
      gzip,
      budget: s.budget,
      forbidden,
      ok: gzip <= s.budget && forbidden.length === 0,
    });
  }
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rows = await measure();
  for (const r of rows) {
    console.log(
      `${r.ok ? 'ok  ' : 'FAIL'} ${r.name.padEnd(24)} ${String(r.min).padStart(6)} B min  ${String(r.gzip).padStart(5)} B min+gzip  budget ${r.budget} B` +
        (r.forbidden.length ? `  contains forbidden: ${r.forbidden.join(', ')}` : ''),
    );
  }
  if (process.argv.includes('--json'))
    writeFileSync(`${ROOT}/.bench-out/size.json`, JSON.stringify(rows, null, 2));
  const failed = rows.filter((r) => !r.ok);
  console.log(`${rows.length - failed.length} passed, ${failed.length} failed`);
  if (failed.length) process.exit(1);
}
