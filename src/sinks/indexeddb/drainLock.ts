/** The slice of the Web Locks `LockManager` the buffer needs (injectable for tests). */
export interface DrainLockManager {
  request(
    name: string,
    options: { signal?: AbortSignal },
    callback: (lock: unknown) => Promise<void> | void,
  ): Promise<unknown>;
}
