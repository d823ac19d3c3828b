import type { LogEvent } from '../core/event.js';
import type { AsyncLogSinkStats, DropReason, FlushReason } from './asyncStats.js';
import type { DispatchOutcome } from './dispatchOutcome.js';

/** The hooks of an `AsyncLogSink` subclass the loop calls (the sink itself). */
export interface DeliveryHooks {
  dispatch(batch: readonly LogEvent[], reason: FlushReason): Promise<DispatchOutcome>;
  dispatchOnExit?(batch: readonly LogEvent[]): number;
  onStarting?(): void | Promise<void>;
  onStopped?(): void | Promise<void>;
  encodedSize(event: LogEvent): number;
}

/** What `AsyncLogSink` forwards to. */
export interface DeliveryLoop {
  report(kind: string, message: string, error?: unknown): void;
  drops: Record<DropReason, number>;
  pause(): void;
  resume(): void;
  requeue(events: readonly LogEvent[]): void;
  start(): void;
  log(event: LogEvent): void;
  flush(): Promise<void>;
  close(): Promise<void>;
  stats(): AsyncLogSinkStats;
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
 * @returns how many from the front it took (clamped to the offer; 0 when it threw)
 */
export function guardedExitHandoff(
  sink: DeliveryHooks,
  events: readonly LogEvent[],
  report: DeliveryLoop['report'],
): number {
  try {
    const claimed = sink.dispatchOnExit!(events);
    return Math.max(0, Math.min(events.length, Math.floor(claimed))) || 0;
  } catch (error) {
    report('exit-failed', 'dispatchOnExit threw', error);
    return 0;
  }
}
