import type { LogDiagnosticHandler } from '../core/diagnostics.js';
import type { LogEvent } from '../core/event.js';
import type { AsyncLogSinkStats, DropReason, FlushReason } from './asyncStats.js';
import type { DispatchOutcome } from './dispatchOutcome.js';

/** The hooks of an `AsyncLogSink` subclass the loop calls (the sink itself). */
export interface DeliveryHooks {
  dispatch(batch: readonly LogEvent[], reason: FlushReason): Promise<DispatchOutcome>;
  dispatchOnExit?(batch: readonly LogEvent[]): number;
  readonly dispatchesWhenHidden?: boolean;
  onStarting?(): void | Promise<void>;
  onStopped?(): void | Promise<void>;
  settleExit?(): Promise<void>;
  encodedSize(event: LogEvent): number;
}

/** What `AsyncLogSink` forwards to. */
export interface DeliveryLoop {
  _report(kind: string, message: string, error?: unknown): void;
  /** Reports go to `handler` when the sink has no `onDiagnostic` of its own (first one wins). */
  _adoptDiagnostics(handler: LogDiagnosticHandler): void;
  _drops: Record<DropReason, number>;
  _pause(): void;
  _resume(): void;
  _requeue(events: readonly LogEvent[]): void;
  _start(): void;
  _log(event: LogEvent): void;
  _flush(): Promise<void>;
  _close(): Promise<void>;
  _stats(): AsyncLogSinkStats;
}

// An event whose size cannot be estimated still needs a bound; 1 KiB is a typical event.
const UNSIZABLE_EVENT_BYTES = 1024;

/** The sink's size estimate of `event`: at least 1, and 1 KiB when `encodedSize` throws. */
export function guardedSize(sink: DeliveryHooks, event: LogEvent): number {
  try {
    const bytes = sink.encodedSize(event);
    return bytes > 0 ? bytes : 1;
  } catch {
    return UNSIZABLE_EVENT_BYTES;
  }
}

/**
 * Offers `events` to the sink's synchronous exit path.
 * @returns how many from the front it took (clamped to the offer; `true` is all of them, `false`
 *   none; 0 when it threw)
 */
export function guardedExitHandoff(
  sink: DeliveryHooks,
  events: readonly LogEvent[],
  report: DeliveryLoop['_report'],
): number {
  try {
    const claimed: number | boolean = sink.dispatchOnExit!(events);
    // A JavaScript sink may answer true / false (all / none): true is not "one event".
    if (typeof claimed == 'boolean') return claimed ? events.length : 0;
    return Math.max(0, Math.min(events.length, Math.floor(claimed))) || 0;
  } catch (error) {
    report('exit-failed', 'dispatchOnExit threw', error);
    return 0;
  }
}
