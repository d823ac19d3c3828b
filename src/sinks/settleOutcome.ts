import type { DropReason } from './asyncStats.js';
import type { DispatchOutcome } from './dispatchOutcome.js';

/** What happens to a batch after its dispatch settled. */
export type BatchFate =
  /** `_rejected` of them were rejected by the receiver in an accepted request. */
  | { readonly _kind: 'delivered'; readonly _rejected: number; readonly _error: unknown }
  /** Offline: the batch waits without using up a retry. */
  | { readonly _kind: 'hold' }
  | {
      readonly _kind: 'retry';
      readonly _retryAfterMs: number | undefined;
      readonly _error: unknown;
    }
  | { readonly _kind: 'drop'; readonly _reason: DropReason; readonly _error: unknown };

/** The state {@link batchFate} decides on. */
export interface FateContext {
  /** Retries already made for this batch. */
  readonly _attempt: number;
  readonly _maxRetries: number;
  /** Automatic dispatch is on hold (offline). */
  readonly _paused: boolean;
  /** `close()` was called (a paused sink still delivers then). */
  readonly _closed: boolean;
}

/**
 * Decides a batch's fate from its dispatch outcome: delivered (some perhaps rejected), held while offline, retried (within
 * `maxRetries`), or dropped as `rejected` (a final 4xx) or `failed`.
 * @throws when the outcome is malformed (the caller counts the batch `failed`)
 */
export function batchFate(outcome: DispatchOutcome, context: FateContext): BatchFate {
  if (!outcome) return { _kind: 'delivered', _rejected: 0, _error: undefined };
  if (outcome.ok) {
    const rejected = Number(outcome.rejected) || 0; // a custom sink may return anything here
    return {
      _kind: 'delivered',
      _rejected: Math.max(0, Math.floor(rejected)),
      _error: outcome.error,
    };
  }
  if (outcome.retry && context._paused && !context._closed) return { _kind: 'hold' };
  if (outcome.retry && context._attempt < context._maxRetries)
    return { _kind: 'retry', _retryAfterMs: outcome.retryAfterMs, _error: outcome.error };
  const reason = !outcome.retry && outcome.reason === 'rejected' ? 'rejected' : 'failed';
  return { _kind: 'drop', _reason: reason, _error: outcome.error };
}
