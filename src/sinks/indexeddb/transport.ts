import type { LogEvent } from '../../core/event.js';

/**
 * The result of one upload attempt (an `UploadSink`'s `UploadOutcome` has this shape).
 * @group Sinks
 */
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
 * @group Sinks
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

/**
 * Package-internal: an `UploadSink` as a transport answers under this key whether the request of
 * its latest `send`, if that was of this very batch array, has started with keepalive. Not while
 * it gzips the body, nor over the keepalive budget: a request that dies with the page is no
 * hand-off. A transport without it is taken to send with keepalive (right after `send`), and to
 * say nothing of a request cut short (at `pagehide`).
 */
export const STARTED_KEEPALIVE: unique symbol = Symbol.for('mvx-logger.startedKeepalive');

/** A transport that may say whether its latest request outlives the page. */
export type KeepaliveReporter = LogBatchTransport & {
  [STARTED_KEEPALIVE]?: (batch: readonly LogEvent[]) => boolean;
};
