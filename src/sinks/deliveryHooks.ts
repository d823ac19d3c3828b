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
