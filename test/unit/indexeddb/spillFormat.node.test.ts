import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../../../src/index.js';
import {
  decodeSpill,
  rowEncoder,
  type SpillRow,
} from '../../../src/sinks/indexeddb/spillFormat.js';

const context = Object.freeze({ tab: 't0', release: '1.4.2' });
/** A burst of typical events of one context: only id, time and payload differ. */
const burst = (n: number): SpillRow[] =>
  Array.from({ length: n }, (_, i) => ({
    bytes: 200,
    maybeStored: (i % 2) as 0 | 1,
    event: Object.freeze({
      id: `k3j9x0a1b2c3d4-${i.toString(36)}`,
      namespace: 'shop/checkout',
      level: 'info',
      severity: 9,
      message: 'cart updated',
      time: 1_765_000_000_000 + Math.floor(i / 10),
      payload: { k: `a:${i}` },
      context,
    }) as LogEvent,
  }));

const encode = (rows: SpillRow[]) => {
  const encoder = rowEncoder(rows.at(-1)?.event);
  return encoder._value(rows.map((row) => encoder._encode(row)!));
};

describe('spill format', () => {
  it('round-trips rows, with fields that differ from the base and fields the base has but a row lacks', () => {
    const rows = burst(5);
    const odd: SpillRow = {
      bytes: 50,
      maybeStored: 0,
      event: { id: 'x-1', namespace: 'other', level: 'warn', severity: 13, message: '', time: 1 },
    };
    const all = [odd, ...rows];
    expect(decodeSpill(encode(all))).toEqual(
      all.map((row) => ({ ...row, event: { ...row.event } })),
    );
  });

  it('stores a burst of similar events in less than a third of the bytes of version 1', () => {
    const rows = burst(1000);
    const version1 = JSON.stringify(rows);
    const version2 = encode(rows);
    expect(version2.length).toBeLessThan(version1.length / 3);
  });

  it('reads version 1 values (an array of rows) and skips invalid rows and corrupt values', () => {
    const rows = burst(3);
    expect(decodeSpill(JSON.stringify([...rows, { bytes: 1 }, null]))).toEqual(rows);
    expect(decodeSpill('{"base":{"time":1},"rows":[[1,0,"a",0],"x",[1,1,"b",1,{}]]}')).toEqual([
      { bytes: 1, maybeStored: 1, event: { id: 'b', time: 2 } },
    ]);
    expect(decodeSpill('not json')).toEqual([]);
    expect(decodeSpill(null)).toEqual([]);
    expect(decodeSpill('{"rows":5}')).toEqual([]);
  });
});
