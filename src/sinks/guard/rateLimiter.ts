import { LOG_LEVELS } from '../../core/level.js';

/** Token buckets, one per level. */
export interface RateLimiter {
  /** Whether an event of `severity` at `time` may pass (and takes its token if so). O(1). */
  _allows(severity: number, time: number): boolean;
}

/**
 * Creates one token bucket per level: each holds up to `burst` tokens, starts full, and refills at
 * `refillPerMs` tokens per millisecond of event time; an event takes one token or is refused.
 */
export function createRateLimiter(refillPerMs: number, burst: number): RateLimiter {
  const lastLevel = LOG_LEVELS.length - 1;
  const tokens = new Float64Array(lastLevel + 1).fill(burst);
  const refilledAt = new Float64Array(lastLevel + 1).fill(NaN);
  return {
    _allows(severity, time) {
      // The OpenTelemetry severities of the six levels are 1, 5, 9, ...: the level's index.
      const level = Math.min(lastLevel, Math.max(0, (severity - 1) >> 2));
      // each array read once and written once (every typed-array access is checked)
      let available = tokens[level]!;
      const elapsed = time - refilledAt[level]!;
      // NaN (the first event) and a clock that went backwards refill nothing
      if (elapsed > 0) available = Math.min(burst, available + elapsed * refillPerMs);
      refilledAt[level] = time;
      const allowed = available >= 1;
      tokens[level] = allowed ? available - 1 : available;
      return allowed;
    },
  };
}
