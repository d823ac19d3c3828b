import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM module without types
import { formatReadme, formatTables, replaceReadmeTable } from '../../../bench/peers/report.mjs';

// `npm run bench` writes bench/results.md and the README's speed table from the same samples.

const CASES = [
  { id: 'disabled', title: 'disabled call' },
  { id: 'batch-json', title: 'batching HTTP path, JSON (per event)' },
  { id: 'batch-otlp', title: 'batching HTTP path, OTLP (per event)' },
  { id: 'normalize', title: 'payload normalization alone (small payload)' },
];
const LIBRARIES = ['mvx', 'pino', 'otel', 'logtape'];
const LIBRARY_NAMES = {
  mvx: 'mvx-logger',
  pino: 'pino',
  otel: 'OpenTelemetry',
  logtape: 'LogTape',
};
const names = { CASES, LIBRARIES, LIBRARY_NAMES };
const meta = {
  date: '2026-12-07 12:00 UTC',
  machine: 'test CPU, 2 cores, load average 0.1',
  versions: { mvx: '0.1.0', pino: '10', otel: '3', logtape: '2' },
  rounds: 3,
  seconds: 1,
};
/** Three rounds per library; `normalize` is measured for mvx only. */
const engine = (scale: number) => ({
  version: `v${scale}`,
  samples: {
    mvx: [1, 2, 3].map((r) => ({
      disabled: 0.5 * scale,
      'batch-json': 2000 * scale + r,
      'batch-otlp': 3000 * scale,
      normalize: 400 * scale,
    })),
    pino: [1, 2, 3].map(() => ({ disabled: 0.25 * scale, 'batch-json': 1000 * scale })),
    otel: [1, 2, 3].map(() => ({ disabled: 10 * scale, 'batch-otlp': 6000 * scale })),
    logtape: [1, 2, 3].map(() => ({ disabled: 20 * scale })),
  },
});

describe('bench report', () => {
  const table = formatReadme({ Chromium: engine(1), Node: engine(2) }, meta, names);

  it('the README table: one row per case, "Chromium / Node" per cell, ratios of the same run', () => {
    expect(table).toContain('Each cell: Chromium / Node.');
    expect(table).toContain('| disabled call | 0.50 ns / 1.00 ns | 0.25 ns / 0.50 ns |');
    expect(table).toMatch(/\| disabled call \|.*\| 2\.00× \/ 2\.00× \| 20\.00× \/ 20\.00× \|/);
    // OTLP is compared with pino's JSON batching, and says so
    expect(table).toMatch(/\| batching HTTP path, OTLP \(per event\) ¹ \|.*\| 3\.00× \/ 3\.00× \|/);
    expect(table).toContain('¹ pino has no OTLP path');
  });

  it('leaves out a case the run has no mvx-logger figure for', () => {
    const older = engine(1);
    for (const round of older.samples.mvx) delete (round as Partial<typeof round>).normalize;
    expect(table).toContain('payload normalization alone');
    expect(formatReadme({ Chromium: older, Node: older }, meta, names)).not.toContain(
      'payload normalization alone',
    );
  });

  it('results.md carries the targets', () => {
    const { markdown } = formatTables({ Chromium: engine(1) }, meta, names);
    expect(markdown).toMatch(/\| disabled call \|.*\| missed \(≤ 1\.2×\) \|/);
  });

  it('replaces only the block between the README markers', () => {
    const readme = 'intro\n<!-- bench:start -->\nold table\n<!-- bench:end -->\noutro\n';
    expect(replaceReadmeTable(readme, 'new table\n')).toBe(
      'intro\n<!-- bench:start -->\nnew table\n<!-- bench:end -->\noutro\n',
    );
    expect(replaceReadmeTable('no markers', 'x')).toBeUndefined();
  });

  it('the README has the block the bench fills', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    expect(replaceReadmeTable(readme, 'x\n')).toContain(
      '<!-- bench:start -->\nx\n<!-- bench:end -->',
    );
  });
});
