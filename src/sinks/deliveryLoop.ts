import { createDiagnostics } from '../core/diagnostics.js';
import type { LogEvent } from '../core/event.js';
import type { ResolvedAsyncOptions } from './asyncOptions.js';
import type { DeliveryHooks, DeliveryLoop } from './deliveryHooks.js';
import type { FlushReason } from './asyncStats.js';
import { retryDelay } from './backoff.js';
import type { DispatchOutcome } from './dispatchOutcome.js';
import { defaultPageLifecycle, onPageExit, type PageExitKind } from './pageExit.js';

/** A queued event: the event, its size estimate and its acceptance number (`flush()` waits on it). */
type Entry = { e: LogEvent; s: number; n: number };

const sum = (entries: readonly Entry[]) => entries.reduce((a, x) => a + x.s, 0);

/**
 * The state machine behind `AsyncLogSink`: a bounded FIFO, at most one batch out of it (in flight,
 * or waiting for its retry), a single timer, and `flush()` waiters keyed by acceptance number.
 * Every accepted event is always in exactly one place: the queue, the batch, or a counter. The
 * state lives in this closure, out of reach of a subclass's own fields.
 * @param o - resolved options
 * @param sink - the sink whose hooks are called
 */
export function createDeliveryLoop(o: ResolvedAsyncOptions, sink: DeliveryHooks): DeliveryLoop {
  const report = createDiagnostics(o.onDiagnostic)._report;
  // Called as plain functions: a global `setTimeout` called as a method of `o` would throw.
  const { now, setTimeout, clearTimeout } = o;
  // The queue: a head index instead of Array#shift keeps removal from the front O(1) amortized.
  let q: Entry[] = [];
  let h = 0;
  let bytes = 0;
  let seq = 0;
  let batch: Entry[] | undefined;
  let busy = false; // the batch is in flight
  let attempt = 0;
  let retryAt = 0;
  let since = 0; // when the oldest queued event started waiting
  let timer: unknown;
  let timerAt = Infinity;
  let waiters: [seq: number, resolve: () => void][] = [];
  let accepted = 0;
  let delivered = 0;
  let handedOff = 0;
  let retried = 0;
  let exitLeft = 0;
  let started = false;
  let closed = false;
  let stopped = false;
  let paused = false;
  let blocked = false; // waiting for onStarting
  let exiting = false; // after pagehide/freeze, until the page is back
  let exitSoon = false;
  let closing: Promise<void> | undefined;
  let detach: (() => void) | undefined;
  const drops = { overflow: 0, rejected: 0, failed: 0, closed: 0, evicted: 0, expired: 0 };
  const length = () => q.length - h;
  const size = (event: LogEvent) => {
    try {
      const n = sink.encodedSize(event);
      return n > 0 ? n : 1;
    } catch {
      return 1024; // an unsizable event still needs a bound; 1 KiB is a typical event
    }
  };
  const drop = (n: number) => {
    for (n = Math.min(h + n, q.length); h < n;) bytes -= q[h++].s;
    // Reclaim the consumed prefix once it dominates, so memory stays proportional to the queue.
    if (h > 1024 || h * 2 > q.length) {
      q = q.slice(h);
      h = 0;
    }
  };
  const settleWaiters = () => {
    const min = Math.min(batch?.[0].n ?? Infinity, q[h]?.n ?? Infinity);
    waiters = waiters.filter(([n, resolve]) => n > min || resolve());
  };
  const arm = (delay: number) => {
    const at = now() + delay;
    if (timerAt <= at) return;
    clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(() => {
      timerAt = Infinity;
      pump();
    }, delay);
  };

  /** Starts the next dispatch when one is due, or arms the timer for when it will be. */
  const pump = () => {
    try {
      // After pagehide/freeze the page is going away: only the exit path sends, so the counters
      // stay exact; the page coming back (pageshow, visible, resume) ends this.
      if (busy || blocked || ((exiting || paused) && !closed)) return;
      const t = now();
      let reason: FlushReason = closed ? 'close' : waiters.length ? 'manual' : 'interval';
      if (batch) {
        if (t < retryAt) return arm(retryAt - t);
      } else {
        const n = length();
        const due = since + o.flushIntervalMs;
        if (!n) return;
        if (n >= o.maxBatchEvents) reason = 'count';
        else if (bytes >= o.maxBatchBytes) reason = 'bytes';
        else if (reason === 'interval' && t < due) return arm(due - t);
        // At most maxBatchEvents, within maxBatchBytes, but always at least one.
        const limit = Math.min(q.length, h + o.maxBatchEvents);
        let end = h;
        for (let b = 0; end < limit && (end === h || b + q[end].s <= o.maxBatchBytes);)
          b += q[end++].s;
        batch = q.slice(h, end);
        drop(end - h);
        attempt = 0;
        since = t;
      }
      busy = true;
      const events = batch.map((x) => x.e);
      new Promise<DispatchOutcome>((r) => r(sink.dispatch(events, reason))).then(
        settle,
        (error) => {
          report('dispatch-threw', 'retrying the batch', error);
          settle({ ok: false, retry: true, error });
        },
      );
    } catch (e) {
      report('internal-error', 'internal error', e);
    }
  };
  const settle = (outcome: DispatchOutcome) => {
    busy = false;
    const n = batch!.length;
    let done = true;
    try {
      if (!outcome || outcome.ok) delivered += n;
      // offline: the batch waits without using up a retry
      else if (outcome.retry && paused && !closed) done = false;
      else if (outcome.retry && attempt < o.maxRetries) {
        retried += n;
        retryAt = now() + retryDelay(outcome.retryAfterMs, ++attempt, o);
        done = false;
      } else {
        const why = !outcome.retry && outcome.reason === 'rejected' ? 'rejected' : 'failed';
        drops[why] += n;
        report(`batch-${why}`, `${n} events ${why}`, outcome.error);
      }
    } catch (e) {
      drops.failed += n; // a malformed outcome must not lose the count
      report('batch-failed', 'bad dispatch outcome', e);
    }
    if (done) batch = undefined;
    settleWaiters();
    pump();
  };

  /** Hands off synchronously what is waiting (a batch waiting for its retry first, then the queue). */
  const exit = (kind: PageExitKind) => {
    exitSoon = false;
    if (kind !== 'hidden') exiting = true;
    const waiting = (!busy && batch) || [];
    const all = waiting.concat(q.slice(h));
    const total = all.length;
    let n = 0;
    try {
      // Called even when nothing is queued: the sink may have requests in flight to protect.
      n = Math.max(0, Math.min(total, Math.floor(sink.dispatchOnExit!(all.map((x) => x.e)))) || 0);
    } catch (e) {
      report('exit-failed', 'dispatchOnExit threw', e);
    }
    handedOff += n;
    exitLeft = total - n;
    const fromBatch = Math.min(n, waiting.length);
    waiting.splice(0, fromBatch);
    if (!busy && !waiting.length) batch = undefined;
    drop(n - fromBatch);
    if (n < total) report('exit-incomplete', `${total - n} events stay queued`);
    settleWaiters();
  };
  const failed = (e: unknown) => report('start-failed', 'onStarting failed', e);
  const start = () => {
    if (started || closed) return;
    started = true;
    try {
      const lifecycle = o.pageLifecycle ?? defaultPageLifecycle();
      if (lifecycle && sink.dispatchOnExit)
        detach = onPageExit(lifecycle, {
          exit,
          resume: () => {
            exiting = false;
            pump();
          },
        });
    } catch (e) {
      report('lifecycle-failed', 'no exit listeners', e); // the sink still starts and delivers
    }
    try {
      const r = sink.onStarting?.();
      if (r) {
        blocked = true;
        void Promise.resolve(r)
          .catch(failed)
          .then(() => {
            blocked = false;
            pump();
          });
      }
    } catch (e) {
      failed(e);
    }
  };
  const flush = () =>
    new Promise<void>((resolve) => {
      waiters.push([seq, resolve]);
      settleWaiters();
      pump();
    });

  return {
    report,
    drops,
    pause: () => void (paused = true),
    resume() {
      paused = false;
      pump();
    },
    requeue(events) {
      const n = events.length;
      handedOff -= n;
      if (stopped) {
        drops.failed += n;
        return report('batch-failed', `${n} events failed after close`);
      }
      // Acceptance number -1: a flush() waits for them whenever it was called.
      const back = events.map((e) => ({ e, s: size(e), n: -1 }));
      q = back.concat(q.slice(h));
      h = 0;
      bytes += sum(back);
      retried += n;
      since = 0; // they are old already: due at once
      arm(0);
    },
    start,
    log(event) {
      try {
        if (closed) {
          drops.closed++;
          return report('log-after-close', 'events dropped (closed)');
        }
        start();
        if (!length() && !batch) since = now();
        const s = size(event);
        q.push({ e: event, s, n: seq++ });
        bytes += s;
        accepted++;
        let over = 0;
        for (; length() > 1 && (length() > o.maxQueueEvents || bytes > o.maxQueueBytes); over++)
          drop(1);
        if (over) {
          drops.overflow += over;
          report('queue-overflow', 'oldest events dropped');
          settleWaiters();
        }
        if (exiting) {
          // After pagehide/freeze no timer will run: hand off at the end of the current task.
          if (!exitSoon) queueMicrotask(() => exit('pagehide'));
          exitSoon = true;
        } else if (length() >= o.maxBatchEvents || bytes >= o.maxBatchBytes) arm(0);
        else if (length() === 1) arm(o.flushIntervalMs);
      } catch (e) {
        report('internal-error', 'internal error', e);
      }
    },
    flush,
    close: () =>
      (closing ??= (async () => {
        closed = true;
        if (!started) return;
        await flush();
        detach?.();
        clearTimeout(timer);
        stopped = true;
        await sink.onStopped?.();
      })().catch((e: unknown) => report('close-failed', 'onStopped failed', e))),
    stats() {
      const waiting = busy ? [] : (batch ?? []);
      return {
        accepted,
        delivered,
        handedOff,
        retried,
        dropped: { ...drops },
        queuedEvents: length() + waiting.length,
        queuedBytes: bytes + sum(waiting),
        inFlight: busy ? batch!.length : 0,
        exitLeft,
        paused,
      };
    },
  };
}
