import { describe, expect, it } from 'vitest';
import { LogConfigError, type DispatchOutcome } from '../../../src/index.js';
import type { createFakeTimers } from '../../fakes/timers.js';
import { settle } from '../../fakes/timers.js';
import {
  balance,
  collectDiagnostics,
  createFakePage,
  makeEvent,
  ScriptedSink,
  setupOnFakePage,
} from './helpers.js';

function setup(
  options: ConstructorParameters<typeof ScriptedSink>[0] = {},
  page = createFakePage(),
) {
  const diag = collectDiagnostics();
  const { sink, timers, log } = setupOnFakePage(
    ScriptedSink,
    { onDiagnostic: diag.onDiagnostic, ...options },
    page,
  );
  return { sink, timers, diag, page, log, flushAll: () => flushAll(sink, timers) };
}

/** Flushes while driving the fake clock (retries and timers need time to pass). */
async function flushAll(sink: ScriptedSink, timers: ReturnType<typeof createFakeTimers>) {
  let done = false;
  const p = sink.flush().then(() => (done = true));
  for (let i = 0; i < 1000 && !done; i++) await timers.advance(1000);
  await p;
}

const never = () => new Promise<DispatchOutcome>(() => {});

describe('AsyncLogSink batching', () => {
  it('dispatches full batches by count at once, the remainder by age', async () => {
    const { sink, timers, log } = setup({ maxBatchEvents: 3, flushIntervalMs: 1000 });
    log(0, 7);
    expect(sink.dispatched).toEqual([]); // log() never dispatches synchronously
    await timers.advance(0);
    expect(sink.dispatched.map((d) => [d.ids.length, d.reason])).toEqual([
      [3, 'count'],
      [3, 'count'],
    ]);
    await timers.advance(999);
    expect(sink.dispatched).toHaveLength(2);
    await timers.advance(1);
    expect(sink.dispatched[2]).toMatchObject({ ids: ['ev-6'], reason: 'interval' });
    expect(sink.stats()).toMatchObject({ accepted: 7, delivered: 7, queuedEvents: 0 });
  });

  it('dispatches by estimated bytes and never exceeds maxBatchBytes (but takes at least one)', async () => {
    const { sink, timers } = setup({ maxBatchBytes: 1000, maxBatchEvents: 100 });
    const big = (i: number) => makeEvent(i, { message: 'x'.repeat(300) }); // ~395 bytes of JSON
    sink.log(big(0));
    sink.log(big(1));
    await timers.advance(0);
    expect(sink.dispatched).toEqual([]); // ~790 bytes: not yet full
    sink.log(big(2));
    await timers.advance(0);
    expect(sink.dispatched[0]).toMatchObject({ ids: ['ev-0', 'ev-1'], reason: 'bytes' });
    sink.log(makeEvent(9, { message: 'y'.repeat(5000) }));
    await sink.flush();
    expect(sink.dispatched.map((d) => d.ids)).toEqual([['ev-0', 'ev-1'], ['ev-2'], ['ev-9']]);
  });

  it('dispatches one event after flushIntervalMs of age', async () => {
    const { sink, timers } = setup({ flushIntervalMs: 2000 });
    sink.log(makeEvent(1));
    await timers.advance(1999);
    expect(sink.dispatched).toEqual([]);
    await timers.advance(1);
    expect(sink.dispatched).toEqual([
      expect.objectContaining({ ids: ['ev-1'], reason: 'interval' }),
    ]);
  });

  it('has documented defaults: 100 events, 32 KiB, 2 s', async () => {
    const { sink, timers, log } = setup();
    log(0, 99);
    await timers.advance(1999);
    expect(sink.dispatched).toEqual([]);
    log(99, 1);
    await timers.advance(0);
    expect(sink.dispatched[0]).toMatchObject({ reason: 'count' });
    expect(sink.dispatched[0].ids).toHaveLength(100);
  });
});

describe('AsyncLogSink retries', () => {
  it('backs off exponentially with full jitter inside [0, cap] and the cap is bounded', async () => {
    for (const r of [0, 0.5, 0.999]) {
      const { sink, flushAll } = setup({
        random: () => r,
        retryBaseMs: 100,
        retryMaxMs: 1000,
        maxRetries: 6,
        script: () => ({ ok: false, retry: true }),
      });
      sink.log(makeEvent(1));
      await flushAll(); // resolves after the drop
      const at = sink.dispatched.map((d) => d.at);
      const gaps = at.slice(1).map((t, i) => t - at[i]);
      const caps = [100, 200, 400, 800, 1000, 1000];
      expect(gaps).toEqual(caps.map((c) => Math.floor(c * r)));
      expect(sink.stats().dropped.failed).toBe(1);
      expect(sink.stats().retried).toBe(6);
    }
  });

  it('waits retryAfterMs when the dispatch asks for it', async () => {
    const { sink, timers } = setup({
      script: (_b, call) =>
        call === 0 ? { ok: false, retry: true, retryAfterMs: 5000 } : undefined,
    });
    sink.log(makeEvent(1));
    const done = sink.flush();
    await timers.advance(4999);
    expect(sink.dispatched).toHaveLength(1);
    await timers.advance(1);
    await done;
    expect(sink.dispatched[1].at - sink.dispatched[0].at).toBe(5000);
    expect(sink.stats()).toMatchObject({ delivered: 1, retried: 1 });
  });

  it('drops a rejected batch without retrying, counted rejected, reported once', async () => {
    const { sink, diag, timers } = setup({
      maxBatchEvents: 2,
      script: () => ({ ok: false, retry: false, reason: 'rejected' }),
    });
    sink.log(makeEvent(1));
    sink.log(makeEvent(2));
    sink.log(makeEvent(3));
    sink.log(makeEvent(4));
    await timers.advance(0);
    expect(sink.dispatched).toHaveLength(2);
    expect(sink.stats().dropped.rejected).toBe(4);
    expect(diag.kinds().filter((k) => k === 'batch-rejected')).toHaveLength(1);
  });

  it('keeps queueing (bounded) while a batch waits for its retry', async () => {
    const { sink, timers, log } = setup({
      maxQueueEvents: 10,
      script: (_b, call) =>
        call === 0 ? { ok: false, retry: true, retryAfterMs: 60_000 } : undefined,
    });
    log(0, 1);
    await timers.advance(2000);
    log(1, 25);
    const s = sink.stats();
    expect(s.accepted).toBe(26);
    expect(s.dropped.overflow).toBe(15); // queue holds 10 + the batch waiting for its retry
    expect(s.queuedEvents).toBe(11);
    expect(balance(s)).toBe(s.accepted);
    await timers.advance(60_000);
    expect(sink.dispatched.flatMap((d) => d.ids)).toEqual([
      'ev-0',
      'ev-0',
      ...Array.from({ length: 10 }, (_, i) => `ev-${i + 16}`),
    ]);
  });
});

describe('AsyncLogSink overflow, flush and close', () => {
  it('drops the oldest on overflow by count and by bytes, counted', () => {
    const { sink, diag, log } = setup({ maxQueueEvents: 5, script: never });
    log(0, 12);
    expect(sink.stats()).toMatchObject({ accepted: 12, queuedEvents: 5 });
    expect(sink.stats().dropped.overflow).toBe(7);
    expect(diag.kinds()).toContain('queue-overflow');
    const b = setup({ maxQueueBytes: 2000, script: never });
    b.log(0, 50);
    expect(b.sink.stats().queuedBytes).toBeLessThanOrEqual(2000);
    expect(balance(b.sink.stats())).toBe(50);
  });

  it('flush resolves when what was queued before the call is dispatched, not later events', async () => {
    let release!: () => void;
    const { sink, timers } = setup({
      maxBatchEvents: 2,
      script: (_b, call) => (call === 0 ? new Promise<void>((r) => (release = r)) : undefined),
    });
    sink.log(makeEvent(1));
    sink.log(makeEvent(2));
    let flushed = false;
    const p = sink.flush().then(() => (flushed = true));
    await timers.advance(0);
    sink.log(makeEvent(3)); // after the flush call
    await settle();
    expect(flushed).toBe(false);
    release();
    await p;
    expect(sink.stats().delivered).toBeGreaterThanOrEqual(2);
  });

  it('flush on an idle or never-used sink resolves at once; it never rejects', async () => {
    const { sink } = setup({ script: () => Promise.reject(new Error('boom')), maxRetries: 0 });
    await sink.flush();
    sink.log(makeEvent(1));
    await expect(sink.flush()).resolves.toBeUndefined();
    expect(sink.stats().dropped.failed).toBe(1);
  });

  it('close delivers everything, then onStopped, then removes listeners; idempotent', async () => {
    const page = createFakePage();
    const order: string[] = [];
    const { sink, log } = setup(
      {
        maxBatchEvents: 3,
        flushIntervalMs: 60_000,
        script: (b) => void order.push(`dispatch ${b.length}`),
      },
      page,
    );
    expect(page.listeners()).toBe(0); // lazily, on first log
    log(0, 5);
    expect(page.listeners()).toBe(5);
    expect(sink.started).toBe(1);
    const a = sink.close();
    const b = sink.close();
    expect(b).toBe(a);
    sink.log(makeEvent(99));
    await a;
    order.push(`stopped ${sink.stopped}`);
    expect(order).toEqual(['dispatch 3', 'dispatch 2', 'stopped 1']);
    expect(sink.dispatched.map((d) => d.reason)).toEqual(['count', 'close']); // a full batch says count
    expect(page.listeners()).toBe(0);
    expect(sink.stats().dropped.closed).toBe(1);
    await sink.close();
    expect(sink.stopped).toBe(1);
  });

  it('close on a never-used sink does nothing and attaches nothing', async () => {
    const page = createFakePage();
    const { sink } = setup({}, page);
    await sink.close();
    expect(sink.started + sink.stopped).toBe(0);
    expect(page.listeners()).toBe(0);
  });
});

describe('AsyncLogSink never throws into the app', () => {
  it('a synchronously throwing dispatch is retried, then counted failed', async () => {
    const { sink, diag, flushAll } = setup({
      maxRetries: 2,
      random: () => 0,
      script: () => {
        throw new Error('dispatch exploded');
      },
    });
    expect(() => sink.log(makeEvent(1))).not.toThrow();
    await flushAll();
    expect(sink.dispatched).toHaveLength(3);
    expect(sink.stats().dropped.failed).toBe(1);
    expect(diag.kinds()).toEqual(expect.arrayContaining(['dispatch-threw', 'batch-failed']));
  });

  it('a throwing encodedSize, exit hand-off or onStarting does not throw out of log()', async () => {
    class Hostile extends ScriptedSink {
      protected override encodedSize(): number {
        throw new Error('size');
      }
      protected override onStarting(): void {
        throw new Error('start');
      }
    }
    const diag = collectDiagnostics();
    const { sink, page, timers } = setupOnFakePage(Hostile, { onDiagnostic: diag.onDiagnostic });
    sink.exitTake = () => {
      throw new Error('exit');
    };
    expect(() => sink.log(makeEvent(1))).not.toThrow();
    expect(() => page.hide()).not.toThrow();
    expect(sink.stats()).toMatchObject({ queuedEvents: 1, exitLeft: 1 });
    await timers.advance(5000);
    expect(sink.stats().delivered).toBe(1);
    expect(diag.kinds()).toEqual(expect.arrayContaining(['start-failed', 'exit-failed']));
  });

  it('exit listeners that cannot be attached do not keep onStarting from running', async () => {
    const target = {
      addEventListener() {
        throw new Error('no events here');
      },
      removeEventListener() {},
    };
    const diag = collectDiagnostics();
    const sink = new ScriptedSink({
      pageLifecycle: { document: target, window: target },
      onDiagnostic: diag.onDiagnostic,
    });
    expect(() => sink.log(makeEvent(1))).not.toThrow();
    expect(sink.started).toBe(1);
    await sink.close();
    expect(sink.stats().delivered).toBe(1);
    expect(diag.kinds()).toContain('lifecycle-failed');
  });

  it('a throwing diagnostics handler is swallowed', () => {
    const { sink } = setup({
      maxQueueEvents: 1,
      script: never,
      onDiagnostic: () => {
        throw new Error('handler');
      },
    });
    expect(() => {
      sink.log(makeEvent(1));
      sink.log(makeEvent(2));
    }).not.toThrow();
  });
});

describe('AsyncLogSink options', () => {
  it.each([
    [{ maxBatchEvents: 0 }, /`maxBatchEvents` must be an integer >= 1, got 0/],
    [{ flushIntervalMs: -1 }, /flushIntervalMs/],
    [{ maxRetries: 1.5 }, /maxRetries/],
    [{ retryBaseMs: 100, retryMaxMs: 10 }, /`retryMaxMs` must be >= `retryBaseMs`/],
    [{ now: 5 }, /`now` must be a function/],
    [{ pageLifecycle: {} }, /pageLifecycle/],
  ])('%o throws LogConfigError', (opts, message) => {
    expect(() => new ScriptedSink(opts as never)).toThrow(LogConfigError);
    expect(() => new ScriptedSink(opts as never)).toThrow(message);
  });
});
