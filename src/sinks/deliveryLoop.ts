import { createDiagnostics } from '../core/diagnostics.js';
import type { LogEvent } from '../core/event.js';
import type { ResolvedAsyncOptions } from './asyncOptions.js';
import { DROP_REASONS, type DropReason, type FlushReason } from './asyncStats.js';
import { retryDelay } from './backoff.js';
import {
  guardedExitHandoff,
  guardedSize,
  type DeliveryHooks,
  type DeliveryLoop,
} from './deliveryHooks.js';
import type { DispatchOutcome } from './dispatchOutcome.js';
import { EventQueue, type QueuedEvent } from './eventQueue.js';
import { statsSnapshot, type LoopCounts } from './statsSnapshot.js';
import { FlushWaiters } from './flushWaiters.js';
import type { PageExitKind } from './pageExit.js';
import { batchFate } from './settleOutcome.js';
import { startSink, type SinkStartup } from './sinkStartup.js';
import { createLoopTimer } from './loopTimer.js';

/**
 * The state machine behind `AsyncLogSink`: a bounded FIFO, at most one batch out of it (in flight,
 * or waiting for its retry), a single timer, and `flush()` waiters keyed by acceptance number.
 * Every accepted event is always in exactly one place: the queue, the batch, or a counter. The
 * state lives in this closure, out of reach of a subclass's own fields.
 * @param options - resolved options
 * @param sink - the sink whose hooks are called
 */
export function createDeliveryLoop(
  options: ResolvedAsyncOptions,
  sink: DeliveryHooks,
): DeliveryLoop {
  const diagnostics = createDiagnostics(options.onDiagnostic);
  const report = diagnostics._report;
  const { now } = options;
  const queue = new EventQueue();
  const waiters = new FlushWaiters();
  let nextSequence = 0;
  let batch: QueuedEvent[] | undefined; // out of the queue: in flight, or waiting for its retry
  let inFlight = false;
  let attempt = 0; // retries made for `batch`
  let retryAt = 0;
  let oldestSince = 0; // when the oldest queued event started waiting
  const counts: LoopCounts = { accepted: 0, delivered: 0, handedOff: 0, retried: 0, exitLeft: 0 };
  const drops = {} as Record<DropReason, number>;
  for (const reason of DROP_REASONS) drops[reason] = 0;
  let started = false;
  let closed = false;
  let stopped = false;
  let paused = false;
  let starting = false; // waiting for onStarting
  let exiting = false; // after pagehide/freeze, until the page is back
  let endOfTaskScheduled = false;
  let closing: Promise<void> | undefined;
  let page: SinkStartup | undefined; // the exit listeners, once started

  const sizeOf = (event: LogEvent) => guardedSize(sink, event);
  const settleWaiters = () =>
    waiters._settle(
      Math.min(batch?.[0]._sequence ?? Infinity, queue._oldest()?._sequence ?? Infinity),
    );
  const timer = createLoopTimer(options, () => pump());
  const arm = (delayMs: number) => timer._fireWithin(delayMs);
  const dueWhileHidden = () => !!sink.dispatchesWhenHidden && !!page?._hidden();

  /** Why a dispatch that is not forced by the batch bounds happens. */
  const waitReason = (): FlushReason =>
    closed ? 'close' : waiters._pending() ? 'manual' : 'interval';

  /** Why the queue should be dispatched now, or `undefined` (with the timer armed) if not yet. */
  const dueReason = (time: number): FlushReason | undefined => {
    if (queue._length() >= options.maxBatchEvents) return 'count';
    if (queue._byteSize() >= options.maxBatchBytes) return 'bytes';
    const reason = waitReason();
    const dueAt = oldestSince + options.flushIntervalMs;
    if (reason !== 'interval' || time >= dueAt || dueWhileHidden()) return reason;
    arm(dueAt - time);
    return undefined;
  };

  /** Starts the next dispatch when one is due, or arms the timer for when it will be. */
  const pump = () => {
    try {
      // After pagehide/freeze the page is going away: only the exit path sends, so the counters
      // stay exact; the page coming back (pageshow, visible, resume) ends this.
      if (inFlight || starting || ((exiting || paused) && !closed)) return;
      const time = now();
      if (batch) {
        if (time < retryAt) return arm(retryAt - time);
        return dispatch(batch, waitReason());
      }
      if (!queue._length()) return;
      const reason = dueReason(time);
      if (!reason) return;
      // Hidden: one batch, so the sink's one write commits before a close comes (see startSink).
      batch = dueWhileHidden()
        ? queue._takeBatch(Infinity, Infinity)
        : queue._takeBatch(options.maxBatchEvents, options.maxBatchBytes);
      attempt = 0;
      oldestSince = time;
      dispatch(batch, reason);
    } catch (error) {
      report('internal-error', 'internal error', error);
    }
  };

  const dispatch = (entries: QueuedEvent[], reason: FlushReason) => {
    inFlight = true;
    const events = entries.map((entry) => entry._event);
    new Promise<DispatchOutcome>((resolve) => resolve(sink.dispatch(events, reason))).then(
      settle,
      (error) => {
        report('dispatch-threw', 'retrying the batch', error);
        settle({ ok: false, retry: true, error });
      },
    );
  };

  /** Applies a dispatch's outcome to the batch in flight. */
  const settle = (outcome: DispatchOutcome) => {
    inFlight = false;
    const batchSize = batch!.length;
    let batchDone = true;
    try {
      const fate = batchFate(outcome, {
        _attempt: attempt,
        _maxRetries: options.maxRetries,
        _paused: paused,
        _closed: closed,
      });
      if (fate._kind === 'delivered') {
        const rejected = Math.min(batchSize, fate._rejected);
        counts.delivered += batchSize - rejected;
        drops.rejected += rejected;
        if (rejected)
          report(
            'batch-partly-rejected',
            `${rejected} of ${batchSize} events rejected`,
            fate._error,
          );
      } else if (fate._kind === 'hold') batchDone = false;
      else if (fate._kind === 'retry') {
        counts.retried += batchSize;
        // Once per sink: an outage or a failing endpoint says so (retries continue).
        report('batch-retrying', `${batchSize} events will be retried`, fate._error);
        retryAt = now() + retryDelay(fate._retryAfterMs, ++attempt, options);
        batchDone = false;
      } else {
        drops[fate._reason] += batchSize;
        report(`batch-${fate._reason}`, `${batchSize} events ${fate._reason}`, fate._error);
      }
    } catch (error) {
      drops.failed += batchSize; // a malformed outcome must not lose the count
      report('batch-failed', 'bad dispatch outcome', error);
    }
    if (batchDone) batch = undefined;
    settleWaiters();
    pump();
  };

  /** Hands off synchronously what is waiting (a batch waiting for its retry first, then the queue). */
  const exit = (kind: PageExitKind) => {
    endOfTaskScheduled = false;
    if (kind !== 'hidden') exiting = true;
    const waitingBatch = (!inFlight && batch) || [];
    const waiting = waitingBatch.concat(queue._all());
    // Called even when nothing is queued: the sink may have requests in flight to protect.
    const events = waiting.map((entry) => entry._event);
    const handedOff = guardedExitHandoff(sink, events, report);
    counts.handedOff += handedOff;
    counts.exitLeft = waiting.length - handedOff;
    const fromBatch = Math.min(handedOff, waitingBatch.length);
    waitingBatch.splice(0, fromBatch);
    if (!inFlight && !waitingBatch.length) batch = undefined;
    queue._dropOldest(handedOff - fromBatch);
    if (counts.exitLeft) report('exit-incomplete', `${counts.exitLeft} events stay queued`);
    settleWaiters();
  };

  /** Attaches the exit listeners (when the sink has an exit path) and runs `onStarting`. */
  const start = () => {
    if (started || closed) return;
    started = true;
    const exitHandlers = {
      exit,
      resume: () => {
        exiting = false;
        pump();
      },
    };
    page = startSink(options.pageLifecycle, sink, exitHandlers, report, () => {
      starting = false;
      pump();
    });
    starting = page._waiting;
  };

  /** Drops the oldest events beyond the queue bounds (counted `overflow`). */
  const enforceBounds = () => {
    const overflow = queue._trimToBounds(options.maxQueueEvents, options.maxQueueBytes);
    if (!overflow) return;
    drops.overflow += overflow;
    report('queue-overflow', 'events dropped');
    settleWaiters();
  };

  /** After pagehide/freeze no timer will run: hand off; a hidden page's timers are throttled. */
  const endOfTask = () => {
    endOfTaskScheduled = false;
    if (exiting) exit('pagehide');
    else pump();
  };

  const log = (event: LogEvent) => {
    try {
      if (closed) {
        drops.closed++;
        return report('log-after-close', 'events dropped (closed)');
      }
      start();
      if (!queue._length() && !batch) oldestSince = now();
      queue._push({ _event: event, _bytes: sizeOf(event), _sequence: nextSequence++ });
      counts.accepted++;
      enforceBounds();
      if (exiting || dueWhileHidden()) {
        if (!endOfTaskScheduled) queueMicrotask(endOfTask);
        endOfTaskScheduled = true;
      } else if (
        queue._length() >= options.maxBatchEvents ||
        queue._byteSize() >= options.maxBatchBytes
      )
        arm(0);
      else if (queue._length() === 1) arm(options.flushIntervalMs);
    } catch (error) {
      report('internal-error', 'internal error', error);
    }
  };

  const requeue = (events: readonly LogEvent[]) => {
    counts.handedOff -= events.length;
    if (stopped) {
      drops.failed += events.length;
      return report('batch-failed', `${events.length} events failed after close`);
    }
    // Acceptance number -1: a flush() waits for them whenever it was called.
    queue._prepend(
      events.map((event) => ({ _event: event, _bytes: sizeOf(event), _sequence: -1 })),
    );
    counts.retried += events.length;
    oldestSince = 0; // they are old already: due at once
    arm(0);
  };

  const flush = () =>
    new Promise<void>((resolve) => {
      waiters._add(nextSequence, resolve);
      settleWaiters();
      pump();
    });

  const close = () =>
    (closing ??= (async () => {
      closed = true;
      if (!started) return;
      // Exit requests whose fate is still open may hand events back: they go in the final flush.
      await sink.settleExit?.();
      await flush();
      page?._detach?.();
      timer._cancel();
      stopped = true;
      await sink.onStopped?.();
    })().catch((error: unknown) => report('close-failed', 'onStopped failed', error)));

  return {
    _report: report,
    _adoptDiagnostics: diagnostics._adopt,
    _drops: drops,
    _pause: () => void (paused = true),
    _resume() {
      paused = false;
      pump();
    },
    _requeue: requeue,
    _start: start,
    _log: log,
    _flush: flush,
    _close: close,
    _stats: () =>
      statsSnapshot({
        _counts: counts,
        _drops: drops,
        _queue: queue,
        _batch: batch,
        _inFlight: inFlight,
        _paused: paused,
      }),
  };
}
