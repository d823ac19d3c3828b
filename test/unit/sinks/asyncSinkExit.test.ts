import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DispatchOutcome } from '../../../src/index.js';
import { settle } from '../../fakes/timers.js';
import { balance, eventIds, makeEvent, ScriptedSink, setupOnFakePage } from './helpers.js';

const setup = (options: ConstructorParameters<typeof ScriptedSink>[0] = {}) =>
  setupOnFakePage(ScriptedSink, options);

describe('AsyncLogSink page exit', () => {
  it('hands off everything queued on visibilitychange→hidden, synchronously', () => {
    const { sink, page, log } = setup();
    log(0, 5);
    page.hide();
    expect(sink.exits).toEqual([eventIds(0, 5)]);
    expect(sink.stats()).toMatchObject({ handedOff: 5, queuedEvents: 0, exitLeft: 0 });
    expect(sink.dispatched).toEqual([]);
  });

  it('keeps what was not handed off, counts it, and resumes normal flushing when visible', async () => {
    const { sink, page, log, timers } = setup();
    sink.exitTake = (b) => Math.min(b.length, 3);
    log(0, 5);
    page.hide();
    expect(sink.stats()).toMatchObject({ handedOff: 3, queuedEvents: 2, exitLeft: 2 });
    page.show();
    await timers.advance(2000);
    expect(sink.dispatched.flatMap((d) => d.ids)).toEqual(eventIds(3, 2));
    expect(balance(sink.stats())).toBe(5);
  });

  it('a JavaScript dispatchOnExit answering true / false means all / none (issue 4: boolean-like)', () => {
    const { sink, page, log } = setup();
    sink.exitTake = () => true as never; // a sink written from the "true = handed off"
    log(0, 5);
    page.hide();
    expect(sink.stats()).toMatchObject({ handedOff: 5, queuedEvents: 0, exitLeft: 0 });
    page.show();
    sink.exitTake = () => false as never;
    log(5, 2);
    page.hide();
    expect(sink.stats()).toMatchObject({ handedOff: 5, queuedEvents: 2, exitLeft: 2 });
  });

  it('includes the batch waiting for its retry, oldest first', async () => {
    const { sink, page, log, timers } = setup({
      script: () => ({ ok: false, retry: true, retryAfterMs: 30_000 }),
    });
    log(0, 2);
    await timers.advance(2000); // dispatched, failed, waiting 30 s
    log(2, 2);
    page.hide();
    expect(sink.exits).toEqual([eventIds(0, 4)]);
    expect(sink.stats()).toMatchObject({ handedOff: 4, queuedEvents: 0 });
    await timers.advance(60_000);
    expect(sink.dispatched).toHaveLength(1); // nothing left to retry
  });

  it('after pagehide, events logged later in the same task are handed off at its end', async () => {
    const { sink, page, log } = setup();
    log(0, 2);
    page.pagehide();
    log(2, 3); // e.g. the app's own pagehide listener logging after ours
    expect(sink.exits).toHaveLength(1);
    await Promise.resolve();
    expect(sink.exits).toEqual([eventIds(0, 2), eventIds(2, 3)]);
    page.pageshow(); // back from the back/forward cache: timers again
    log(5, 1);
    await settle();
    expect(sink.exits).toHaveLength(2);
  });

  it('after pagehide only the exit path sends, until the page is shown again', async () => {
    const { sink, page, log, timers } = setup();
    sink.exitTake = (b) => Math.min(b.length, 2);
    log(0, 5);
    page.pagehide();
    await timers.advance(10_000);
    expect(sink.dispatched).toEqual([]);
    expect(sink.stats()).toMatchObject({ handedOff: 2, exitLeft: 3, queuedEvents: 3 });
    page.pageshow();
    await timers.advance(2000);
    expect(sink.dispatched.flatMap((d) => d.ids)).toEqual(eventIds(2, 3));
  });

  it('works with fake lifecycle targets that call listeners without an event', () => {
    const fake = () => {
      const on = new Map<string, () => void>();
      return {
        on,
        // a listener typed to take an event, stored to be called without one
        addEventListener: (type: string, fn: (event: { persisted?: boolean }) => void) =>
          void on.set(type, fn as () => void),
        removeEventListener: (type: string) => void on.delete(type),
      };
    };
    const doc = Object.assign(fake(), { visibilityState: 'hidden' });
    const win = fake();
    const sink = new ScriptedSink({
      pageLifecycle: { document: doc, window: win },
      onDiagnostic: () => {},
    });
    sink.log(makeEvent(0));
    doc.on.get('visibilitychange')!();
    win.on.get('pagehide')!();
    expect(sink.exits).toEqual([['ev-0'], []]);
    win.on.get('pageshow')!();
    sink.log(makeEvent(1));
    doc.on.get('freeze')!();
    expect(sink.exits).toEqual([['ev-0'], [], ['ev-1']]);
  });

  it('freeze is an exit signal too', () => {
    const { sink, page, log } = setup();
    log(0, 1);
    page.freeze();
    expect(sink.exits).toEqual([['ev-0']]);
  });

  it('after freeze only the exit path sends, until the document resumes', async () => {
    const { sink, page, log, timers } = setup();
    sink.exitTake = () => 0;
    log(0, 3);
    page.freeze();
    await timers.advance(10_000);
    expect(sink.dispatched).toEqual([]);
    expect(sink.stats()).toMatchObject({ exitLeft: 3, queuedEvents: 3 });
    page.resume();
    await timers.advance(0);
    expect(sink.dispatched.flatMap((d) => d.ids)).toEqual(eventIds(0, 3));
  });

  it('attaches no listeners without a document (workers) or without dispatchOnExit', async () => {
    const worker = new ScriptedSink({ onDiagnostic: () => {} }); // Node: no document, like a worker
    worker.log(makeEvent(1));
    await worker.close();
    expect(worker.stats().delivered).toBe(1);
    const { sink, page } = setup({ exit: false });
    sink.log(makeEvent(1));
    expect(page.listeners()).toBe(0);
  });
});

describe('AsyncLogSink pause and requeue', () => {
  it('holds dispatch while paused; flush waits; resume delivers', async () => {
    const { sink, log, timers } = setup();
    log(0, 1);
    sink.hold();
    log(1, 150);
    await timers.advance(10_000);
    expect(sink.dispatched).toEqual([]);
    expect(sink.stats().paused).toBe(true);
    let flushed = false;
    const p = sink.flush().then(() => (flushed = true));
    await timers.advance(1000);
    expect(flushed).toBe(false);
    sink.release();
    await p;
    expect(sink.stats()).toMatchObject({ delivered: 151, paused: false });
  });

  it('a retryable failure while paused does not use up a retry', async () => {
    let fail = true;
    const { sink, log, timers } = setup({
      maxRetries: 0,
      script: () => (fail ? { ok: false, retry: true } : undefined),
    });
    log(0, 1);
    await timers.advance(1000);
    sink.hold(); // offline while the request was in flight
    await timers.advance(1000);
    expect(sink.stats()).toMatchObject({ dropped: { failed: 0 } });
    fail = false;
    sink.release();
    await timers.advance(0);
    expect(sink.stats().delivered).toBe(1);
  });

  it('close delivers even while paused', async () => {
    const { sink, log } = setup();
    log(0, 3);
    sink.hold();
    await sink.close();
    expect(sink.stats().delivered).toBe(3);
  });

  it('requeue puts handed-off events back in front; after close they count as failed', async () => {
    const { sink, page, log, timers } = setup();
    log(0, 3);
    page.hide();
    log(3, 1);
    sink.giveBack([makeEvent(0), makeEvent(1)]);
    expect(sink.stats()).toMatchObject({ handedOff: 1, queuedEvents: 3, retried: 2 });
    await timers.advance(0);
    expect(sink.dispatched[0].ids).toEqual(['ev-0', 'ev-1', 'ev-3']);
    await sink.close();
    sink.giveBack([makeEvent(2)]);
    expect(sink.stats()).toMatchObject({ handedOff: 0, dropped: { failed: 1 } });
  });
});

describe('AsyncLogSink accounting', () => {
  it(
    'every accepted event is in exactly one place, whatever happens',
    { timeout: 30_000 },
    async () => {
      const op = fc.oneof(
        fc.record({ log: fc.integer({ min: 1, max: 40 }) }),
        fc.record({ advance: fc.integer({ min: 0, max: 5000 }) }),
        fc.constant({ hide: true }),
        fc.constant({ show: true }),
      );
      const outcome = fc.constantFrom<DispatchOutcome>(
        undefined,
        { ok: true },
        { ok: false, retry: true },
        { ok: false, retry: true, retryAfterMs: 100 },
        { ok: false, retry: false, reason: 'rejected' },
        { ok: false, retry: false, reason: 'failed' },
      );
      await fc.assert(
        fc.asyncProperty(
          fc.array(op, { maxLength: 30 }),
          fc.array(outcome, { minLength: 1, maxLength: 20 }),
          fc.integer({ min: 0, max: 10 }),
          async (ops, outcomes, exitTake) => {
            const { sink, page, timers } = setup({
              maxQueueEvents: 50,
              maxBatchEvents: 10,
              maxRetries: 2,
              script: (_b, call) => outcomes[call % outcomes.length],
            });
            sink.exitTake = (b) => Math.min(exitTake, b.length);
            let n = 0;
            for (const o of ops) {
              if ('log' in o) for (let i = 0; i < o.log; i++) sink.log(makeEvent(n++));
              else if ('advance' in o) await timers.advance(o.advance);
              else if ('hide' in o) page.hide();
              else page.show();
              const s = sink.stats();
              expect(balance(s)).toBe(s.accepted);
            }
            const closed = sink.close();
            for (let i = 0; i < 200; i++) await timers.advance(1000);
            await closed;
            const s = sink.stats();
            expect(s.accepted).toBe(n);
            expect(balance(s)).toBe(n);
            expect(s.queuedEvents + s.inFlight).toBe(0);
          },
        ),
        { numRuns: 60 },
      );
    },
  );
});
