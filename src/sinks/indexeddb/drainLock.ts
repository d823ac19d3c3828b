/** The slice of the Web Locks `LockManager` the drain lock needs (injectable for tests). */
export interface DrainLockManager {
  request(
    name: string,
    options: { signal?: AbortSignal },
    callback: (lock: unknown) => Promise<void>,
  ): Promise<unknown>;
}

/** A held-or-waiting claim on the drainer role. */
export interface DrainLock {
  /** Whether this page holds the lock now. */
  readonly held: boolean;
  /** Gives the lock up (or stops waiting for it). Idempotent. */
  release(): void;
}

/** Name of the drain lock of one database: one drainer per database across all tabs and workers. */
export function drainLockName(database: string): string {
  return `mvx-logger:drain:${database}`;
}

/**
 * Asks for the exclusive Web Lock of the drainer role and holds it until `release()` or until the
 * page goes away — the browser then grants it to the next waiting tab, so draining passes on.
 * @param locks - `navigator.locks` or a fake
 * @param onAcquired - called when this page becomes the drainer
 * @param onError - called when the request fails (not when it is released)
 */
export function acquireDrainLock(
  locks: DrainLockManager,
  name: string,
  onAcquired: () => void,
  onError: (error: unknown) => void,
): DrainLock {
  let held = false;
  let released = false;
  let letGo: () => void = () => {};
  const holding = new Promise<void>((resolve) => (letGo = resolve));
  const abort = typeof AbortController === 'function' ? new AbortController() : undefined;
  try {
    locks
      .request(name, abort ? { signal: abort.signal } : {}, async () => {
        if (released) return;
        held = true;
        try {
          onAcquired();
        } catch {
          // the drain loop guards itself; nothing may break the lock callback
        }
        await holding;
        held = false;
      })
      .catch((error: unknown) => {
        held = false;
        if (!released) onError(error);
      });
  } catch (error) {
    onError(error);
  }
  return {
    get held() {
      return held;
    },
    release() {
      if (released) return;
      released = true;
      held = false;
      letGo();
      abort?.abort(); // stops waiting if the lock was never granted; no effect once held
    },
  };
}
