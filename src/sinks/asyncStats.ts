/**
 * Why a batch was dispatched.
 * @group Sinks
 */
export type FlushReason = 'count' | 'bytes' | 'interval' | 'manual' | 'exit' | 'close';

/**
 * Why accepted events were dropped: queue `overflow` (oldest first), `rejected` by the receiver
 * (4xx), `failed` after the retries, logged after `closed`, and for buffering subclasses `evicted`
 * (storage bound) and `expired` (too old). With `stormProtection`, events refused by `log()` are
 * counted `rate-limited` or `duplicate-suppressed` (not accepted, like `closed`).
 * @group Sinks
 */
export type DropReason =
  | 'overflow'
  | 'rejected'
  | 'failed'
  | 'closed'
  | 'evicted'
  | 'expired'
  | 'rate-limited'
  | 'duplicate-suppressed';

/** Every drop reason, in the order `stats().dropped` lists them. */
export const DROP_REASONS: readonly DropReason[] = [
  'overflow',
  'rejected',
  'failed',
  'closed',
  'evicted',
  'expired',
  'rate-limited',
  'duplicate-suppressed',
];

/**
 * Counters of an {@link AsyncLogSink}. Every accepted event is in exactly one place:
 * `accepted = delivered + handedOff + dropped.overflow + dropped.rejected + dropped.failed +
 * queuedEvents + inFlight` (`closed`, `rate-limited` and `duplicate-suppressed` count refused
 * events; `evicted`/`expired` are counted by buffering subclasses for events they already took
 * over).
 * @group Sinks
 */
export interface AsyncLogSinkStats {
  /** Events taken by `log()` (not counting those logged after close). */
  accepted: number;
  /** Events whose dispatch succeeded. */
  delivered: number;
  /** Events handed to the synchronous exit path (e.g. a beacon the browser accepted). */
  handedOff: number;
  /** Event re-sends after retryable failures. */
  retried: number;
  /** Dropped events by reason; every key present. */
  dropped: Record<DropReason, number>;
  /** Events waiting (including a batch waiting to be retried). */
  queuedEvents: number;
  /** Estimated bytes of `queuedEvents`. */
  queuedBytes: number;
  /** Events in the batch being dispatched. */
  inFlight: number;
  /** Events that could not be handed off at the latest page exit (they stayed queued). */
  exitLeft: number;
  /** Whether automatic dispatch is on hold (e.g. offline). */
  paused: boolean;
}
