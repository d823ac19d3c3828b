/** A `flush()` call waiting for every event accepted before it. */
interface FlushWaiter {
  /** The acceptance number of the next event at the time of the call. */
  readonly _sequence: number;
  readonly _resolve: () => void;
}

/** The pending `flush()` calls of an `AsyncLogSink`, keyed by acceptance number. */
export class FlushWaiters {
  #waiters: FlushWaiter[] = [];

  /** Whether any `flush()` is pending. */
  _pending(): boolean {
    return this.#waiters.length > 0;
  }

  _add(sequence: number, resolve: () => void): void {
    this.#waiters.push({ _sequence: sequence, _resolve: resolve });
  }

  /**
   * Resolves every waiter whose events are all out of the sink (delivered, handed off or counted).
   * @param oldestHeld - the acceptance number of the oldest event still held (Infinity: none)
   */
  _settle(oldestHeld: number): void {
    this.#waiters = this.#waiters.filter((waiter) => {
      if (waiter._sequence > oldestHeld) return true;
      waiter._resolve();
      return false;
    });
  }
}
