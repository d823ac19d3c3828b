/**
 * Capped exponential backoff with full jitter: a uniformly random delay in
 * `[0, min(maxMs, baseMs * 2^(attempt - 1)))`. Full jitter spreads the retries of many clients
 * that failed together, so a recovering server is not hit by a synchronized wave.
 * @param attempt - 1 for the first retry
 * @param baseMs - cap of the first retry
 * @param maxMs - largest cap
 * @param random - uniform in [0, 1)
 */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number,
): number {
  const cap = Math.min(maxMs, baseMs * 2 ** Math.min(attempt - 1, 30));
  const r = random();
  // A fake or broken random source must not produce a negative or runaway delay.
  return Math.floor(cap * (r >= 0 && r < 1 ? r : 0.5));
}

// A server asking for more than this (a misconfigured Retry-After) would stall the sink for hours.
const MAX_RETRY_AFTER_MS = 600_000;

/**
 * The wait before retry number `attempt`: the server's `Retry-After` when it sent one (capped at
 * 10 minutes), otherwise {@link backoffDelay}.
 * @param retryAfterMs - from the dispatch outcome, if any
 * @param attempt - 1 for the first retry
 * @param o - backoff base, cap and random source
 */
export function retryDelay(
  retryAfterMs: number | undefined,
  attempt: number,
  o: { readonly retryBaseMs: number; readonly retryMaxMs: number; random(): number },
): number {
  return retryAfterMs! >= 0
    ? Math.min(retryAfterMs!, MAX_RETRY_AFTER_MS)
    : backoffDelay(attempt, o.retryBaseMs, o.retryMaxMs, o.random);
}
