import type { LogLevel } from './level.js';

/**
 * The routing subset of an event: what filters see, built before the payload is touched.
 * @group Types
 */
export interface LogEventMeta {
  /** Path of the context that logged, segments joined with `/` (the root is `''`). */
  readonly namespace: string;
  readonly level: LogLevel;
  /** OpenTelemetry severity number of `level`. */
  readonly severity: number;
  readonly message: string;
  /** Epoch milliseconds. */
  readonly time: number;
}
