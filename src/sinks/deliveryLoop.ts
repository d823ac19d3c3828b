import type { LogEvent } from '../core/event.js';
import type { ResolvedAsyncOptions } from './asyncOptions.js';
import { emptyDrops, type AsyncLogSinkStats, type FlushReason } from './asyncStats.js';
import { retryDelay } from './backoff.js';
import { BatchQueue, dropFront, makeBatch, type Batch } from './batchQueue.js';
import type { DispatchOutcome } from './dispatchOutcome.js';
import type { PageExitKind } from './pageExit.js';

/** What the loop calls back into: the sink's dispatch, exit hand-off and diagnostics. */
export interface DeliveryHooks {
  dispatch(events: readonly LogEvent[], reason: FlushReason): Promise<DispatchOutcome>;
  exit(events: readonly LogEvent[]): number;
  report(kind: string, message: string, error?: unknown): void;
}

/**
 * The state machine behind {@link AsyncLogSink}: a bounded FIFO, at most one batch in flight and
 * one waiting for its retry, a single timer, and `flush()` waiters keyed by acceptance number.
 * Every event is always in exactly one of: queue, pending retry, in flight, or a counter.
 */
export class DeliveryLoop {
  readonly queue = new BatchQueue();
  readonly counters = { accepted: 0, delivered: 0, handedOff: 0, retried: 0, exitLeft: 0 };
  readonly drops = emptyDrops();
  /** Dispatch waits while set (e.g. for `onStarting`). */
  blocked = false;
  closing = false;
  stopped = false;
  paused = false;
  private exiting = false;
  private exitScheduled = false;
  private seq = 0;
  private inFlight: Batch | undefined;
  private pending: Batch | undefined;
  private retryAt = 0;
  private since: number;
  private timer: unknown;
  private timerAt = Infinity;
  private waiters: { seq: number; resolve: () => void }[] = [];

  constructor(
    private readonly o: ResolvedAsyncOptions,
    private readonly h: DeliveryHooks,
  ) {
    this.since = o.now();
  }

  /** Accepts one event of estimated `size` bytes. O(1) amortized. */
  push(event: LogEvent, size: number): void {
    const { queue: q, o } = this;
    if (!q.length && !this.pending && !this.inFlight) this.since = o.now();
    q.push(event, size, this.seq++);
    this.counters.accepted++;
    if (q.length > o.maxQueueEvents || q.bytes > o.maxQueueBytes) this.overflow();
    if (this.exiting) {
      // After pagehide/freeze no timer will run: hand off at the end of the current task.
      if (!this.exitScheduled) {
        this.exitScheduled = true;
        queueMicrotask(() => this.exit('pagehide'));
      }
    } else if (q.length >= o.maxBatchEvents || q.bytes >= o.maxBatchBytes) this.arm(0);
    else if (q.length === 1) this.arm(o.flushIntervalMs);
  }

  /** Puts handed-off events back in front; after close they count as failed. */
  requeue(events: readonly LogEvent[], sizes: number[]): void {
    this.counters.handedOff -= events.length;
    if (this.stopped) {
      this.drops.failed += events.length;
      return this.h.report('batch-failed', `${events.length} events came back after close`);
    }
    this.queue.unshift(
      makeBatch(
        [...events],
        sizes,
        sizes.map(() => this.seq++),
      ),
    );
    this.counters.retried += events.length;
    this.since = 0; // they are old already: due at once
    this.arm(0);
  }

  /** Resolves once everything accepted before the call left the loop. */
  flush(): Promise<void> {
    if (this.minSeq() === Infinity) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiters.push({ seq: this.seq, resolve });
      this.pump();
    });
  }

  /** The page is back: normal dispatch resumes. */
  resume(): void {
    this.exiting = false;
    this.pump();
  }

  /** Hands off synchronously what is waiting (pending retry first, then the queue). */
  exit(kind: PageExitKind): void {
    this.exitScheduled = false;
    if (kind !== 'hidden') this.exiting = true;
    const p = this.pending;
    const total = (p ? p.events.length : 0) + this.queue.length;
    // Called even when nothing is queued: the sink may have requests in flight to protect.
    const batch = p ? p.events.concat(this.queue.toArray()) : this.queue.toArray();
    let n = 0;
    try {
      n = Math.max(0, Math.min(total, Math.floor(Number(this.h.exit(batch))) || 0));
    } catch (e) {
      this.h.report('exit-failed', 'dispatchOnExit threw', e);
    }
    this.counters.handedOff += n;
    this.counters.exitLeft = total - n;
    const fromPending = p ? Math.min(n, p.events.length) : 0;
    if (p && fromPending) {
      dropFront(p, fromPending);
      if (!p.events.length) this.pending = undefined;
    }
    this.queue.drop(n - fromPending);
    if (n < total) {
      this.h.report('exit-incomplete', `${total - n} events could not be handed off on page exit`);
    }
    this.settleWaiters();
  }

  /** Counters and queue sizes. */
  stats(): AsyncLogSinkStats {
    const p = this.pending;
    return {
      ...this.counters,
      dropped: { ...this.drops },
      queuedEvents: this.queue.length + (p ? p.events.length : 0),
      queuedBytes: this.queue.bytes + (p ? p.bytes : 0),
      inFlight: this.inFlight ? this.inFlight.events.length : 0,
      paused: this.paused,
    };
  }

  /** Starts the next dispatch when one is due, or arms the timer for when it will be. */
  pump(): void {
    try {
      // After pagehide/freeze the page is going away: only the exit path sends, so the counters
      // stay exact; the page coming back (pageshow, visible, resume) ends this.
      if (this.inFlight || this.blocked || (this.exiting && !this.closing)) return;
      const { o, queue: q } = this;
      const now = o.now();
      const held = this.paused && !this.closing;
      let batch = this.pending;
      let reason: FlushReason = this.closing
        ? 'close'
        : this.waiters.length
          ? 'manual'
          : 'interval';
      if (batch) {
        if (held) return;
        if (now < this.retryAt) return this.arm(this.retryAt - now);
        this.pending = undefined;
      } else {
        if (!q.length || held) return;
        if (q.length >= o.maxBatchEvents) reason = 'count';
        else if (q.bytes >= o.maxBatchBytes) reason = 'bytes';
        else if (reason === 'interval' && now < this.since + o.flushIntervalMs) {
          return this.arm(this.since + o.flushIntervalMs - now);
        }
        batch = q.take(o.maxBatchEvents, o.maxBatchBytes);
        this.since = now;
      }
      this.run(batch, reason);
    } catch (e) {
      this.h.report('pump-failed', 'scheduling failed internally', e);
    }
  }

  /** Cancels the timer. */
  clearTimer(): void {
    if (this.timer !== undefined) this.o.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
  }

  private arm(delay: number): void {
    const at = this.o.now() + delay;
    if (this.timer !== undefined && this.timerAt <= at) return;
    this.clearTimer();
    this.timerAt = at;
    this.timer = this.o.setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.pump();
    }, delay);
  }

  private overflow(): void {
    const { queue: q, o } = this;
    let n = 0;
    while (q.length > 1 && (q.length > o.maxQueueEvents || q.bytes > o.maxQueueBytes)) {
      q.drop(1);
      n++;
    }
    if (!n) return;
    this.drops.overflow += n;
    this.h.report('queue-overflow', 'queue full: oldest events dropped (counted overflow)');
    this.settleWaiters();
  }

  private run(batch: Batch, reason: FlushReason): void {
    this.inFlight = batch;
    let result: Promise<DispatchOutcome>;
    try {
      result = Promise.resolve(this.h.dispatch(batch.events, reason));
    } catch (e) {
      result = Promise.reject(e);
    }
    result.then(
      (outcome) => this.settle(batch, outcome),
      (error: unknown) => {
        this.h.report('dispatch-threw', 'dispatch threw; the batch will be retried', error);
        this.settle(batch, { ok: false, retry: true, error });
      },
    );
  }

  private settle(batch: Batch, outcome: DispatchOutcome): void {
    this.inFlight = undefined;
    const { o, counters: c } = this;
    const n = batch.events.length;
    try {
      if (!outcome || outcome.ok) c.delivered += n;
      else if (outcome.retry && this.paused && !this.closing)
        this.pending = batch; // offline
      else if (outcome.retry && batch.attempt < o.maxRetries) {
        batch.attempt++;
        c.retried += n;
        this.retryAt = o.now() + retryDelay(outcome.retryAfterMs, batch.attempt, o);
        this.pending = batch;
      } else {
        const why = !outcome.retry && outcome.reason === 'rejected' ? 'rejected' : 'failed';
        this.drops[why] += n;
        this.h.report(`batch-${why}`, `a batch of ${n} events was dropped (${why})`, outcome.error);
      }
    } catch (e) {
      this.drops.failed += n; // a malformed outcome must not lose the count
      this.h.report('batch-failed', 'malformed dispatch outcome', e);
    }
    this.settleWaiters();
    this.pump();
  }

  private minSeq(): number {
    const p = this.pending?.seqs[0] ?? Infinity;
    return Math.min(this.queue.firstSeq(), p, this.inFlight?.seqs[0] ?? Infinity);
  }

  private settleWaiters(): void {
    if (!this.waiters.length) return;
    const min = this.minSeq();
    const done = this.waiters.filter((w) => w.seq <= min);
    this.waiters = this.waiters.filter((w) => w.seq > min);
    for (const w of done) w.resolve();
  }
}
