import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM module without types
import { fillReadmeSizes, formatRow, loadScenarios, measure } from '../../../bench/size.mjs';

// The size check itself must be able to fail: a fake package where one export drags in IndexedDB.
function fakePackage(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mvx-size-'));
  writeFileSync(
    join(dir, 'index.js'),
    ["export { small } from './small.js';", "export { heavy } from './heavy.js';"].join('\n'),
  );
  writeFileSync(join(dir, 'small.js'), "export const small = () => 'small';\n");
  writeFileSync(
    join(dir, 'heavy.js'),
    `export const heavy = () => globalThis.indexedDB.open(${JSON.stringify('x'.repeat(4000))});\n`,
  );
  return dir;
}

const scenario = (code: string, extra: object = {}) => ({
  name: 'fake',
  code,
  budget: 1000,
  forbid: ['indexedDB'],
  ...extra,
});

describe('size check (bench/size.mjs)', () => {
  it('passes a scenario whose unused heavy export is tree-shaken out', async () => {
    const [row] = await measure(
      [scenario("import { small } from 'mvx-logger'; export const x = small();")],
      fakePackage(),
    );
    expect(row).toMatchObject({ ok: true, forbidden: [], missing: [] });
    expect(row.gzip).toBeLessThan(100);
  });

  it('fails on forbidden code, a missing required string and an exceeded budget', async () => {
    const [row] = await measure(
      [
        scenario("import { heavy } from 'mvx-logger'; export const x = heavy();", {
          budget: 10,
          require: ['not-in-the-bundle'],
        }),
      ],
      fakePackage(),
    );
    expect(row.ok).toBe(false);
    expect(row.forbidden).toEqual(['indexedDB']);
    expect(row.missing).toEqual(['not-in-the-bundle']);
    expect(row.gzip).toBeGreaterThan(10);
  });

  it('refuses a scenario that imports a name the package does not export', async () => {
    await expect(
      measure([scenario("import { nope } from 'mvx-logger'; export { nope };")], fakePackage()),
    ).rejects.toThrow(/not exported|lacks/);
  });

  it('enforces `limit` while a scenario is over budget, and says it is over budget', async () => {
    const app = "import { heavy } from 'mvx-logger'; export const x = heavy();";
    const [within] = await measure(
      [scenario(app, { forbid: [], budget: 10, limit: 100_000 })],
      fakePackage(),
    );
    expect(within).toMatchObject({ ok: true, budget: 10, limit: 100_000 });
    expect(formatRow(within)).toMatch(/OVER BUDGET by \d+ B {2}\(enforced limit 100000 B\)/);
    const [beyond] = await measure(
      [scenario(app, { forbid: [], budget: 10, limit: 20 })],
      fakePackage(),
    );
    expect(beyond.ok).toBe(false);
  });

  it('keeps the three budgets of issue 15 in size-budgets.json; a limit only above its budget', () => {
    const scenarios = loadScenarios();
    expect(scenarios.map((s: { budget: number }) => s.budget)).toEqual([5000, 10000, 20000]);
    // no `ceiling` (measure() would ignore it); a `limit` is only for a scenario over budget
    expect(scenarios.filter((s: object) => 'ceiling' in s)).toEqual([]);
    for (const s of scenarios as { budget: number; limit?: number }[])
      if (s.limit !== undefined) expect(s.limit).toBeGreaterThan(s.budget);
    expect(scenarios[0].forbid).toEqual(
      expect.arrayContaining(['indexedDB', 'sendBeacon', 'keepalive']),
    );
  });

  it('writes measured sizes into the README markers, and the README has one per scenario', () => {
    const rows = [
      { name: '(a) small', gzip: 4499, min: 9421 },
      { name: '(b) more', gzip: 12345, min: 30000 },
    ];
    const readme =
      '| <!-- size:a:gzip -->1 B | <!-- size:b:gzip -->22 222 B | <!-- size:c:gzip -->7 B |';
    expect(fillReadmeSizes(readme, rows)).toBe(
      '| <!-- size:a:gzip -->4 499 B | <!-- size:b:gzip -->12 345 B | <!-- size:c:gzip -->7 B |',
    );
    const real = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    for (const id of ['a', 'b', 'c'])
      expect(real).toMatch(new RegExp(`<!-- size:${id}:gzip -->[\\d ]+ B`));
  });
});
