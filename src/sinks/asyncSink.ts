import type { LogDiagnosticHandler } from '../core/diagnostics.js';
import type { LogEvent } from '../core/event.js';
import type { LogSink } from '../core/sink.js';
import { resolveAsyncOptions, type AsyncLogSinkOptions } from './asyncOptions.js';
import type { AsyncLogSinkStats, DropReason, FlushReason } from './asyncStats.js';
import type { DeliveryHooks, DeliveryLoop } from './deliveryHooks.js';
import { createDeliveryLoop } from './deliveryLoop.js';
import { createStormFilter, type StormFilter } from './guard/stormFilter.js';
import { resolveStormProtection } from './guard/stormOptions.js';
import type { DispatchOutcome } from './dispatchOutcome.js';

export type { AsyncLogSinkOptions } from './asyncOptions.js';
export type { AsyncLogSinkStats, DropReason, FlushReason } from './asyncStats.js';
export type { DispatchOutcome } from './dispatchOutcome.js';

/**
 * The base of every delivering sink. It owns acceptance, the bounded queue, batching by count,
 * bytes and age, retries with capped exponential backoff and full jitter, `flush`/`close`, stats
 * and the page-exit hand-off. A subclass implements `dispatch` (one batch, async) and, to survive
 * page exit, `dispatchOnExit` (synchronous). One batch is dispatched at a time, oldest first.
 *
 * Every accepted event is always in exactly one place: the queue, the current batch (in flight or
 * waiting for its retry), or a counter. All base state sits in a closure behind one `#private`
 * field, so a subclass's own fields can never collide with it.
 *
 * @example
 * class HttpSink extends AsyncLogSink {
 *   protected async dispatch(batch: readonly LogEvent[]): Promise<DispatchOutcome> {
 *     const res = await fetch('/logs', { method: 'POST', body: JSON.stringify(batch) });
 *     if (res.ok) return { ok: true };
 *     return res.status >= 500 ? { ok: false, retry: true } : { ok: false, retry: false, reason: 'rejected' };
 *   }
 * }
 * @group Sinks
 */
export abstract class AsyncLogSink implements LogSink {
  // All base state lives in the loop's closure: a subclass's own fields cannot collide with it.
  #loop: DeliveryLoop;
  #storm: StormFilter | undefined;

  /**
   * The option names a subclass passes to this constructor besides those of
   * {@link AsyncLogSinkOptions}. Any other name is a `LogConfigError` (a typo such as `maxRetry`
   * would otherwise be ignored silently), so a subclass that passes its own options object through
   * declares them here: `static optionNames = ['endpoint']`. `null`: the subclass checks the names
   * of its options itself and passes the base a resolved object (the base then skips the check).
   */
  declare static readonly optionNames?: readonly string[] | null;

  /**
   * @param options - batching, bounds, retry and platform options (see {@link AsyncLogSinkOptions})
   * @throws LogConfigError when an option is unknown or invalid
   */
  constructor(options: AsyncLogSinkOptions = {}) {
    // A literal name where the class declares one: minifiers rename classes, and an error
    // saying "Ze: maxBatchEvents …" would not tell the user which sink to fix.
    const owner =
      (new.target as { sinkName?: string }).sinkName ?? (new.target.name || 'AsyncLogSink');
    const resolved = resolveAsyncOptions(
      owner,
      options,
      (new.target as { optionNames?: readonly string[] | null }).optionNames,
    );
    this.#loop = createDeliveryLoop(resolved, this as unknown as DeliveryHooks);
    const storm = resolveStormProtection(owner, options.stormProtection);
    // Suppressions are counted with the drops, reported (once per window) to the same handler.
    if (storm) this.#storm = createStormFilter(storm, resolved.onDiagnostic, this.#loop._drops);
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
   * @returns how many events from the front were handed off; the rest stay queued (a JavaScript
   *   sink may answer `true` for all, `false` for none)
   */
  protected dispatchOnExit?(batch: readonly LogEvent[]): number;

  /**
   * When true (and the sink has `dispatchOnExit`), events logged while the page is hidden are
   * dispatched at the end of the task that logged them, not after `flushIntervalMs`, and all that
   * is queued goes in one batch whatever the batch bounds: a hidden page's timers are throttled and
   * it may be closed at any moment. For sinks whose dispatch is cheap and local (`IndexedDbSink`);
   * an upload would send one request per task.
   */
  declare protected readonly dispatchesWhenHidden?: boolean;

  /** Called once before the first dispatch; dispatching waits for a returned promise. */
  protected onStarting?(): void | Promise<void>;

  /** Called once by `close()` after the final flush, only if the sink was started. */
  protected onStopped?(): void | Promise<void>;

  /**
   * Called by `close()` before the final flush, only if the sink was started: resolves once the
   * outcome of every exit hand-off is known, so that what a failed one hands back (`requeue`) is
   * still delivered rather than counted `failed`. Must settle, in bounded time.
   */
  protected settleExit?(): Promise<void>;

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
    this.#loop._report(kind, message, error);
  }

  /**
   * Reports through `handler` (the `onDiagnostic` of the `LogContext` using this sink) when the
   * sink was created without an `onDiagnostic` of its own; the first handler adopted wins.
   * @param handler - the context's `onDiagnostic`
   */
  adoptDiagnostics(handler: LogDiagnosticHandler): void {
    this.#loop._adoptDiagnostics(handler);
  }

  /**
   * Counts events the subclass dropped (e.g. `evicted`, `expired`).
   * @param reason - why
   * @param n - how many
   */
  protected count(reason: DropReason, n: number): void {
    this.#loop._drops[reason] += n;
  }

  /** Holds automatic dispatch (e.g. offline): events queue (bounded), `close()` still delivers. */
  protected pause(): void {
    this.#loop._pause();
  }

  /** Ends a {@link pause} and dispatches what waited. */
  protected resume(): void {
    this.#loop._resume();
  }

  /**
   * Returns events that `dispatchOnExit` counted as handed off to the front of the queue, for a
   * transport that failed afterwards (e.g. a keepalive fetch rejected while the page lived on).
   * @param events - the events, oldest first
   */
  protected requeue(events: readonly LogEvent[]): void {
    this.#loop._requeue(events);
  }

  /** Starts the sink (exit listeners, `onStarting`); `log()` calls it lazily. */
  protected start(): void {
    this.#loop._start();
  }

  /** Queues an event: O(1), synchronous, never throws, never does I/O. */
  log(event: LogEvent): void {
    const storm = this.#storm;
    if (!storm) return this.#loop._log(event);
    let admitted: LogEvent | undefined;
    try {
      admitted = storm._admit(event);
    } catch (error) {
      admitted = event; // never lose an event to the guard's own failure
      this.#loop._report('internal-error', 'storm protection failed', error);
    }
    if (admitted) this.#loop._log(admitted);
  }

  /** Resolves once everything queued before the call is dispatched or dropped. Never rejects. */
  flush(): Promise<void> {
    return this.#loop._flush();
  }

  /**
   * Stops accepting (later events count as `closed`), delivers what is queued (with retries), then
   * calls `onStopped()` and removes listeners. Idempotent; never rejects.
   */
  close(): Promise<void> {
    return this.#loop._close();
  }

  /** A snapshot of the counters (see {@link AsyncLogSinkStats}). */
  stats(): AsyncLogSinkStats {
    return this.#loop._stats();
  }
}
