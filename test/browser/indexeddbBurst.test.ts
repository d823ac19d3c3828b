import { describe, expect, it } from 'vitest';
import {
  diagnostics,
  fakeLifecycle,
  makeEvent,
  rawCount,
  uniqueDb,
  until,
  useSinks,
} from './indexeddbHelpers.js';

const sink = useSinks();
const MIB = 2 ** 20;

/** Chromium's heap size, when it tells (for the report; not asserted). */
const heapBytes = () =>
  (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ??
  NaN;

describe('IndexedDbSink: bursts', () => {
  it('a 10 000-event burst logged in one task is staged whole (bounded by bytes, not by a count)', async () => {
    const database = uniqueDb('burst-10k');
    const s = sink({ database });
    for (let i = 0; i < 10_000; i++) s.log(makeEvent(i));
    expect(s.stats().dropped.overflow).toBe(0);
    expect(s.stats().queuedEvents).toBe(10_000);
    await s.flush();
    expect(s.stats()).toMatchObject({ delivered: 10_000, storedEvents: 10_000 });
    expect(s.stats().dropped.overflow).toBe(0);
  });

  it('a 10 000-event burst then pagehide: all of it reaches IndexedDB, none is dropped', async () => {
    const database = uniqueDb('burst-exit');
    const lc = fakeLifecycle();
    const s = sink({ database, pageLifecycle: lc.lifecycle });
    await s.flush(); // open
    for (let i = 0; i < 10_000; i++) s.log(makeEvent(i));
    lc.pagehide();
    expect(s.stats().dropped.overflow).toBe(0);
    await until(async () => expect(await rawCount(database)).toBe(10_000), 15_000);
  });

  it('a 10 000-event burst with no database to write to fits the default spill whole', async () => {
    const database = uniqueDb('burst-spill');
    const lc = fakeLifecycle();
    // Memory tier, nothing written before the exit: the spill is all there is.
    const s = sink({
      database,
      indexedDB: null,
      flushIntervalMs: 60_000,
      pageLifecycle: lc.lifecycle,
    });
    await s.flush();
    const context = Object.freeze({ tab: 't0' });
    for (let i = 0; i < 10_000; i++)
      s.log(makeEvent(i, { message: 'e2e event', payload: { k: `a:${i}` }, context }));
    const start = performance.now();
    lc.pagehide();
    console.log(
      `[burst-spill] exit path of 10 000 events: ${Math.round(performance.now() - start)} ms`,
    );
    expect(s.stats()).toMatchObject({ spilled: 10_000, dropped: { overflow: 0 } });
    const next = sink({ database });
    expect(await next.export({ format: 'array' })).toHaveLength(10_000);
  });

  it('a 50 000-event burst keeps the staging queue within maxQueueBytes and counts its drops once', async () => {
    const database = uniqueDb('burst-50k');
    const d = diagnostics();
    const s = sink({
      database,
      onDiagnostic: d.onDiagnostic,
      maxEvents: 100_000,
      maxBytes: 64 * MIB,
    });
    // Typical events of ~300 B: 50 000 of them are about 15 MB, twice the queue's bound.
    const filler = 'x'.repeat(150);
    const before = heapBytes();
    for (let i = 0; i < 50_000; i++) s.log(makeEvent(i, { payload: { i, filler } }));
    const afterBurst = heapBytes();
    const { queuedBytes, queuedEvents, dropped } = s.stats();
    expect(queuedBytes).toBeLessThanOrEqual(8 * MIB);
    expect(dropped.overflow).toBeGreaterThan(0);
    expect(queuedEvents + dropped.overflow).toBe(50_000);
    expect(d.kinds.filter((k) => k == 'queue-overflow')).toHaveLength(1);
    await s.flush();
    const stats = s.stats();
    expect(stats.delivered + stats.dropped.overflow).toBe(50_000);
    expect(stats.storedEvents).toBe(stats.delivered);
    console.log(
      `[burst-50k] staged=${queuedEvents} stagedBytes=${queuedBytes} overflow=${dropped.overflow} ` +
        `heapGrowthDuringBurst=${((afterBurst - before) / MIB).toFixed(1)} MiB`,
    );
  });
});
