import type { DropReason } from './asyncStats.js';
import type { DispatchOutcome } from './dispatchOutcome.js';

/** What happens to a batch after its dispatch settled. */
export type BatchFate =
  | { readonly _kind: 'delivered' }
  /** Offline: the batch waits without using up a retry. */
  | { readonly _kind: 'hold' }
  | { readonly _kind: 'retry'; readonly _retryAfterMs: number | undefined }
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
 * Decides a batch's fate from its dispatch outcome: delivered, held while offline, retried (within
 * `maxRetries`), or dropped as `rejected` (a final 4xx) or `failed`.
 * @throws when the outcome is malformed (the caller counts the batch `failed`)
 */
export function batchFate(outcome: DispatchOutcome, context: FateContext): BatchFate {
  if (!outcome || outcome.ok) return { _kind: 'delivered' };
  if (outcome.retry && context._paused && !context._closed) return { _kind: 'hold' };
  if (outcome.retry && context._attempt < context._maxRetries)
    return { _kind: 'retry', _retryAfterMs: outcome.retryAfterMs };
  const reason = !outcome.retry && outcome.reason === 'rejected' ? 'rejected' : 'failed';
  return { _kind: 'drop', _reason: reason, _error: outcome.error };
}
