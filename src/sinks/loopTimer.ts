/** The single timer of a delivery loop. */
export interface LoopTimer {
  /** Makes the timer fire within `delayMs` (an earlier one stays). */
  _fireWithin(delayMs: number): void;
  _cancel(): void;
}

/**
 * One timer that is only ever moved earlier: arming it for later than it is set is a no-op.
 * @param clock - the loop's `now`, `setTimeout` and `clearTimeout` (called as plain functions: a
 *   global `setTimeout` called as a method of an options object throws)
 * @param onFire - called when it fires
 */
export function createLoopTimer(
  clock: {
    readonly now: () => number;
    readonly setTimeout: (callback: () => void, ms: number) => unknown;
    readonly clearTimeout: (handle: unknown) => void;
  },
  onFire: () => void,
): LoopTimer {
  const { now, setTimeout, clearTimeout } = clock;
  let handle: unknown;
  let firesAt = Infinity;
  return {
    _fireWithin(delayMs) {
      const at = now() + delayMs;
      if (firesAt <= at) return;
      clearTimeout(handle);
      firesAt = at;
      handle = setTimeout(() => {
        firesAt = Infinity;
        onFire();
      }, delayMs);
    },
    _cancel: () => clearTimeout(handle),
  };
}
