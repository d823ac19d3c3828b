import { createDiagnostics, type Diagnostics } from '../core/diagnostics.js';
import type { LogEvent } from '../core/event.js';
import type { LogSink } from '../core/sink.js';
import {
  resolveAsyncOptions,
  type AsyncLogSinkOptions,
  type ResolvedAsyncOptions,
} from './asyncOptions.js';
import type { AsyncLogSinkStats, DropReason, FlushReason } from './asyncStats.js';
import { DeliveryLoop } from './deliveryLoop.js';
import type { DispatchOutcome } from './dispatchOutcome.js';
import { defaultPageLifecycle, onPageExit } from './pageExit.js';

export type { AsyncLogSinkOptions } from './asyncOptions.js';
export type { AsyncLogSinkStats, DropReason, FlushReason } from './asyncStats.js';
export type { DispatchOutcome } from './dispatchOutcome.js';

const STATE: unique symbol = Symbol('mvx-logger.asyncSink');
const SIZE_OF: unique symbol = Symbol('mvx-logger.sizeOf');

interface BaseState {
  readonly opts: ResolvedAsyncOptions;
  readonly diagnostics: Diagnostics;
  readonly loop: DeliveryLoop;
  started: boolean;
  closed: boolean;
  closeResult: Promise<void> | undefined;
  detach: (() => void) | undefined;
}

/**
 * The base of every delivering sink. It owns acceptance, the bounded queue, batching by count,
 * bytes and age, retries with capped exponential backoff and full jitter, `flush`/`close`, stats
 * and the page-exit hand-off. A subclass implements `dispatch` (one batch, async) and, to survive
 * page exit, `dispatchOnExit` (synchronous). One batch is dispatched at a time, oldest first.
 *
 * @example
 * class HttpSink extends AsyncLogSink {
 *   protected async dispatch(batch: readonly LogEvent[]): Promise<DispatchOutcome> {
 *     const res = await fetch('/logs', { method: 'POST', body: JSON.stringify(batch) });
 *     if (res.ok) return { ok: true };
 *     return res.status >= 500 ? { ok: false, retry: true } : { ok: false, retry: false, reason: 'rejected' };
 *   }
 * }
 */
export abstract class AsyncLogSink implements LogSink {
  // All base state sits behind one symbol key, so a subclass's own fields (`started`, `closed`,
  // `queue`, …) can never overwrite it: TypeScript `private` does not exist at runtime.
  private readonly [STATE]: BaseState;

  /**
   * @param options - batching, bounds, retry and platform options (see {@link AsyncLogSinkOptions})
   * @throws LogConfigError when an option is invalid
   */
  constructor(options: AsyncLogSinkOptions = {}) {
    const opts = resolveAsyncOptions(new.target.name || 'AsyncLogSink', options);
    this[STATE] = {
      opts,
      diagnostics: createDiagnostics(opts.onDiagnostic),
      loop: new DeliveryLoop(opts, {
        dispatch: (events, reason) => this.dispatch(events, reason),
        exit: (events) => this.dispatchOnExit?.(events) ?? 0,
        report: (kind, message, error) => this.report(kind, message, error),
      }),
      started: false,
      closed: false,
      closeResult: undefined,
      detach: undefined,
    };
  }

  /**
   * Sends one batch. Resolve with an outcome; a throw or a rejection counts as a retryable failure.
   * @param batch - the events, oldest first (do not keep or mutate the array)
   * @param reason - what triggered the dispatch
   */
  protected abstract dispatch(
    batch: readonly LogEvent[],
    reason: FlushReason,
  ): Promise<DispatchOutcome>;

  /**
   * Synchronous page-exit hand-off (no `await` is possible on exit).
   * @param batch - everything waiting, oldest first
   * @returns how many events from the front were handed off; the rest stay queued
   */
  protected dispatchOnExit?(batch: readonly LogEvent[]): number;

  /** Called once before the first dispatch; dispatching waits for a returned promise. */
  protected onStarting?(): void | Promise<void>;

  /** Called once by `close()` after the final flush, only if the sink was started. */
  protected onStopped?(): void | Promise<void>;

  /**
   * Estimated encoded bytes of one event, used for batching and the queue bound. Override with
   * your encoding's size (and cache the encoding if you need it later).
   * @param event - the event being accepted
   */
  protected encodedSize(event: LogEvent): number {
    return JSON.stringify(event).length;
  }

  /**
   * Reports through this sink's diagnostics channel; each kind is reported once.
   * @param kind - stable machine-readable kind
   * @param message - what happened and what it means for the events
   * @param error - the cause, if any
   */
  protected report(kind: string, message: string, error?: unknown): void {
    this[STATE].diagnostics.report(kind, message, error);
  }

  /**
   * Counts events the subclass dropped (e.g. `evicted`, `expired`).
   * @param reason - why
   * @param n - how many
   */
  protected count(reason: DropReason, n: number): void {
    this[STATE].loop.drops[reason] += n;
  }

  /** Holds automatic dispatch (e.g. offline): events queue (bounded), `close()` still delivers. */
  protected pause(): void {
    this[STATE].loop.paused = true;
  }

  /** Ends a {@link pause} and dispatches what waited. */
  protected resume(): void {
    const loop = this[STATE].loop;
    loop.paused = false;
    loop.pump();
  }

  /**
   * Returns events that `dispatchOnExit` counted as handed off to the front of the queue, for a
   * transport that failed afterwards (e.g. a keepalive fetch rejected while the page lived on).
   * @param events - the events, oldest first
   */
  protected requeue(events: readonly LogEvent[]): void {
    if (events.length) this[STATE].loop.requeue(events, events.map(this[SIZE_OF], this));
  }

  /** Starts the sink (exit listeners, `onStarting`); `log()` calls it lazily. */
  protected start(): void {
    const st = this[STATE];
    if (st.started || st.closed) return;
    st.started = true;
    const lifecycle = st.opts.pageLifecycle ?? defaultPageLifecycle();
    const loop = st.loop;
    try {
      if (lifecycle && this.dispatchOnExit) {
        st.detach = onPageExit(lifecycle, {
          exit: (kind) => loop.exit(kind),
          resume: () => loop.resume(),
        });
      }
    } catch (e) {
      this.report('lifecycle-failed', 'page exit listeners could not be attached', e);
    }
    try {
      const r = this.onStarting?.();
      if (r && typeof r.then === 'function') {
        loop.blocked = true;
        void Promise.resolve(r)
          .catch((e: unknown) => this.report('start-failed', 'onStarting failed', e))
          .then(() => {
            loop.blocked = false;
            loop.pump();
          });
      }
    } catch (e) {
      this.report('start-failed', 'onStarting failed', e);
    }
  }

  /** Queues an event: O(1), synchronous, never throws, never does I/O. */
  log(event: LogEvent): void {
    try {
      const st = this[STATE];
      if (st.closed) {
        st.loop.drops.closed++;
        this.report('log-after-close', 'events logged after close() are dropped (counted closed)');
        return;
      }
      if (!st.started) this.start();
      st.loop.push(event, this[SIZE_OF](event));
    } catch (e) {
      this.report('log-failed', 'log() failed internally', e);
    }
  }

  /** Resolves once everything queued before the call is dispatched or dropped. Never rejects. */
  flush(): Promise<void> {
    return this[STATE].loop.flush();
  }

  /**
   * Stops accepting (later events count as `closed`), delivers what is queued (with retries), then
   * calls `onStopped()` and removes listeners. Idempotent; never rejects.
   */
  close(): Promise<void> {
    const st = this[STATE];
    if (st.closeResult) return st.closeResult;
    st.closed = true;
    const loop = st.loop;
    loop.closing = true;
    const run = async () => {
      if (!st.started) return;
      loop.pump();
      await loop.flush();
      st.detach?.();
      loop.clearTimer();
      loop.stopped = true;
      try {
        await this.onStopped?.();
      } catch (e) {
        this.report('stop-failed', 'onStopped failed', e);
      }
    };
    return (st.closeResult = run().catch((e: unknown) =>
      this.report('close-failed', 'close() failed internally', e),
    ));
  }

  /** A snapshot of the counters (see {@link AsyncLogSinkStats}). */
  stats(): AsyncLogSinkStats {
    return this[STATE].loop.stats();
  }

  private [SIZE_OF](event: LogEvent): number {
    try {
      const n = this.encodedSize(event);
      return n > 0 ? n : 1;
    } catch {
      return 1024; // an unsizable event still needs a bound; 1 KiB is a typical event
    }
  }
}
