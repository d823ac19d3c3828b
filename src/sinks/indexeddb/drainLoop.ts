import type { LogEvent } from '../../core/event.js';
import type { DropReason } from '../asyncStats.js';
import { backoffDelay } from '../backoff.js';
import type { TieredStore } from './tieredStore.js';

/** The result of one upload attempt (an `UploadSink`'s `UploadOutcome` has this shape). */
export interface LogBatchOutcome {
  readonly ok: boolean;
  readonly retry: boolean;
  readonly retryAfterMs?: number;
  readonly status?: number;
  readonly error?: unknown;
}

/**
 * Where a buffer drains to: an `UploadSink` satisfies it (its queue is bypassed), as does any
 * object with these two methods.
 */
export interface LogBatchTransport {
  /** One upload attempt; should never reject (a rejection counts as a retryable failure). */
  send(batch: readonly LogEvent[]): Promise<LogBatchOutcome>;
  /**
   * Synchronous hand-off on page exit (beacon); returns how many from the front were taken.
   * `onFailed` receives events whose fallback request failed later (the page lived on).
   */
  sendOnExit(batch: readonly LogEvent[], onFailed?: (events: readonly LogEvent[]) => void): number;
}

/** Options of {@link DrainLoop}. */
export interface DrainLoopOptions {
  readonly transport: LogBatchTransport;
  readonly store: TieredStore;
  readonly batchEvents: number;
  readonly batchBytes: number;
  readonly maxAgeMs: number;
  readonly pollMs: number;
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  readonly now: () => number;
  readonly random: () => number;
  readonly setTimeout: (fn: () => void, ms: number) => unknown;
  readonly clearTimeout: (handle: unknown) => void;
  /** Whether this page may drain now (it holds the drain lock, or the buffer is in memory). */
  readonly mayDrain: () => boolean;
  readonly onDrained: (n: number) => void;
  /** Every upload outcome: `true` when the receiver answered (even with a rejection). */
  readonly onOutcome: (reachable: boolean) => void;
  readonly onDropped: (reason: DropReason, n: number) => void;
  readonly report: (kind: string, message: string, error?: unknown) => void;
}

const RETRY_OUTCOME: LogBatchOutcome = { ok: false, retry: true };

/**
 * Sends stored events oldest first and deletes them only after the receiver acknowledged them.
 * A retryable failure leaves them stored and waits (capped exponential backoff with jitter, at least
 * `Retry-After`); a permanent rejection deletes them, counted `rejected`; events older than
 * `maxAgeMs` are deleted unsent, counted `expired`. Never throws.
 */
export class DrainLoop {
  private stopped = false;
  private wake: (() => void) | undefined;
  private wakeOnKick = false;
  private kicked = false;
  private attempt = 0;
  private sending: number | undefined;
  private uploading = false;
  private readonly done: Promise<void>;

  constructor(private readonly o: DrainLoopOptions) {
    this.done = this.run().catch((error: unknown) =>
      o.report('drain-stopped', 'the drain loop stopped unexpectedly', error),
    );
  }

  /** The highest key of the memory-tier batch being uploaded now (the exit path must skip it). */
  get sendingUpToKey(): number | undefined {
    return this.sending;
  }

  /** New events were stored (here or in another tab), or this page became the drainer. */
  kick(): void {
    this.kicked = true;
    if (this.wakeOnKick) this.wake?.();
  }

  /** Resolves when the loop has ended. */
  get finished(): Promise<void> {
    return this.done;
  }

  /** The network is back: end a backoff wait now and start the schedule over. */
  retryNow(): void {
    this.attempt = 0;
    this.kicked = true;
    this.wake?.();
  }

  /**
   * Stops after the current step (an acknowledged batch is still deleted). Resolves when stopped,
   * or at once while an upload is in flight: a hung request must not hang the caller.
   */
  stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    return this.uploading ? Promise.resolve() : this.done;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      // Cleared before every wait, so a kick that came while not draining cannot spin the loop.
      this.kicked = false;
      if (!this.o.mayDrain()) {
        await this.sleep(this.o.pollMs, true);
        continue;
      }
      const { source, entries } = await this.o.store.readOldest(this.o.batchEvents);
      if (entries.length === 0) {
        if (!this.kicked) await this.sleep(this.o.pollMs, true);
        continue;
      }
      const cutoff = this.o.now() - this.o.maxAgeMs;
      const expired = entries.filter((e) => e.event.time < cutoff);
      if (expired.length > 0) {
        if (await this.o.store.remove(source, expired)) this.o.onDropped('expired', expired.length);
        continue;
      }
      let bytes = 0;
      let n = 0;
      while (n < entries.length && (n === 0 || bytes + entries[n].bytes <= this.o.batchBytes)) {
        bytes += entries[n++].bytes;
      }
      const batch = entries.slice(0, n);
      this.sending = source.tier === 'memory' ? batch[batch.length - 1].key : undefined;
      this.uploading = true;
      const outcome = await this.send(batch.map((e) => e.event));
      this.uploading = false;
      this.sending = undefined;
      this.o.onOutcome(outcome.ok || !outcome.retry);
      if (outcome.ok || !outcome.retry) {
        this.attempt = 0;
        const removed = await this.o.store.remove(source, batch);
        if (outcome.ok) this.o.onDrained(batch.length);
        else if (removed) this.o.onDropped(outcome.status ? 'rejected' : 'failed', batch.length);
        continue;
      }
      this.attempt++;
      const delay = backoffDelay(
        this.attempt,
        this.o.retryBaseMs,
        this.o.retryMaxMs,
        this.o.random,
      );
      // Equal jitter floor: half the cap at least, so a down server is not polled in a tight loop.
      const floor =
        Math.min(this.o.retryMaxMs, this.o.retryBaseMs * 2 ** Math.min(this.attempt - 1, 30)) / 2;
      await this.sleep(Math.max(delay, floor, outcome.retryAfterMs ?? 0), false);
    }
  }

  private async send(batch: readonly LogEvent[]): Promise<LogBatchOutcome> {
    try {
      const outcome = await this.o.transport.send(batch);
      if (typeof outcome === 'object' && outcome !== null) return outcome;
      this.o.report('drain-bad-outcome', 'drainTo.send resolved without an outcome; retrying');
      return RETRY_OUTCOME;
    } catch (error) {
      this.o.report('drain-transport-threw', 'drainTo.send threw; retrying later', error);
      return RETRY_OUTCOME;
    }
  }

  /** Waits `ms`; a kick ends the wait early when `wakeOnKick` (idle polling, not a backoff). */
  private sleep(ms: number, wakeOnKick: boolean): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const handle = this.o.setTimeout(() => done(), ms);
      const done = () => {
        this.o.clearTimeout(handle);
        this.wake = undefined;
        this.wakeOnKick = false;
        resolve();
      };
      this.wake = done;
      this.wakeOnKick = wakeOnKick;
      if (wakeOnKick && this.kicked) done();
    });
  }
}
