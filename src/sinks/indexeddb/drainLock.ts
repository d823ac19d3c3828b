/** The slice of the Web Locks `LockManager` the buffer needs (injectable for tests). */
export interface DrainLockManager {
  request(
    name: string,
    options: { signal?: AbortSignal },
    callback: (lock: unknown) => Promise<void> | void,
  ): Promise<unknown>;
}

/** The drain lock of one page: see {@link createDrainLock}. */
export type DrainLock = ReturnType<typeof createDrainLock>;

/**
 * The database's drain lock as one page holds it. State: `none` drains without it (no Web Locks,
 * or they failed), `waiting` for it (or given up), `held`. Once granted it is held until
 * `_release()` or the page's end, when the browser passes it to the next tab waiting.
 * @param mayHold - checked when the lock is granted: false gives it back at once
 * @param onChange - the lock was granted, or failed (the page now drains without it)
 */
export function createDrainLock(
  locks: DrainLockManager | null,
  name: string,
  report: (kind: string, message: string, error?: unknown) => void,
  mayHold: () => boolean,
  onChange: () => void,
) {
  let state: 'none' | 'waiting' | 'held' = locks ? 'waiting' : 'none';
  let request: AbortController | undefined; // while the lock is asked for or held
  let releaseHeld = () => {};

  return {
    _state: () => state,
    /** Asks for the lock unless asked already (or not available). */
    _request() {
      if (!locks || request || state != 'waiting') return;
      const current = (request = new AbortController());
      const granted = () => {
        if (!mayHold() || current.signal.aborted) {
          if (request == current) request = undefined;
          return;
        }
        state = 'held';
        onChange();
        return new Promise<void>((resolve) => (releaseHeld = resolve));
      };
      new Promise((resolve) => resolve(locks.request(name, { signal: current.signal }, granted)))
        // (a release meanwhile aborted the request: not a failure)
        .catch((error: unknown) => {
          if (current.signal.aborted || !mayHold()) return;
          report('drain-lock-failed', 'lock failed; draining without it', error);
          state = 'none';
          onChange();
        });
    },
    /** Gives the lock up, or stops waiting for it. */
    _release() {
      if (locks) state = 'waiting';
      releaseHeld();
      request?.abort();
      request = undefined;
    },
  };
}
