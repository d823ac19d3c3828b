import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM module without types
import { guardNote } from '../../../bench/peers/guardNote.mjs';
// @ts-expect-error -- plain ESM module without types
import { formatReadme } from '../../../bench/peers/report.mjs';

// `npm run bench` states the cost of storm protection and fingers-crossed (issue 17) under its
// tables: each guard case over the plain enabled call of the same engine and run.

const rounds = (figures: Record<string, number>, spread = [0, 1, -1]) =>
  spread.map((delta) =>
    Object.fromEntries(Object.entries(figures).map(([id, ns]) => [id, ns + delta])),
  );
const engine = (figures: Record<string, number>) => ({
  version: 'v1',
  samples: { mvx: rounds(figures), pino: [], otel: [], logtape: [] },
});
const chromium = engine({
  disabled: 0.3,
  'enabled-small': 400,
  'guard-disabled': 0.31,
  'guard-forward': 420,
  'guard-held': 520,
});
const node = engine({
  disabled: 0.29,
  'enabled-small': 500,
  'guard-disabled': 0.3,
  'guard-forward': 540,
  'guard-held': 475,
});

describe('bench guard note', () => {
  it('gives each guard case as a change over the enabled call, per engine, from medians', () => {
    const note = guardNote({ Chromium: chromium, Node: node });
    expect(note).toContain('(Chromium / Node; issue 17 allows +10%)');
    expect(note).toContain('through `stormGuard` (forwarding) +5% / +8%');
    expect(note).toContain('held by `fingersCrossed` +30% / −5%');
    // the medians (round spreads of ±1 ns cancel): 0.31 and 0.30, beside the plain disabled call
    expect(note).toContain(
      'a disabled call behind both 0.31 ns / 0.30 ns (plain: 0.30 ns / 0.29 ns)',
    );
  });

  it('is empty for a run without guard cases, and shows a missing engine as –', () => {
    const plain = engine({ disabled: 0.3, 'enabled-small': 400 });
    expect(guardNote({ Chromium: plain })).toBe('');
    expect(guardNote({ Chromium: chromium, Node: plain })).toContain(
      'through `stormGuard` (forwarding) +5% / –',
    );
  });

  it('is printed under the README table', () => {
    const names = {
      CASES: [{ id: 'enabled-small', title: 'enabled' }],
      LIBRARIES: ['mvx', 'pino', 'otel', 'logtape'],
      LIBRARY_NAMES: { mvx: 'mvx-logger', pino: 'pino', otel: 'OpenTelemetry', logtape: 'LogTape' },
    };
    const meta = { date: 'd', machine: 'm', versions: {}, rounds: 3, seconds: 1 };
    const table = formatReadme({ Chromium: chromium, Node: node }, meta, names);
    expect(table).toMatch(/\n\nStorm protection and fingers-crossed, over the plain enabled call/);
  });
});
