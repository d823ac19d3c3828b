import type { LogEvent } from '../core/event.js';

/** A queued event with its size estimate and its acceptance number (`flush()` waits on it). */
export interface QueuedEvent {
  readonly _event: LogEvent;
  readonly _bytes: number;
  /** Acceptance order; -1 for events taken back after an exit hand-off (always waited for). */
  readonly _sequence: number;
}

/** The summed size estimates of `entries`. */
export const totalBytes = (entries: readonly QueuedEvent[]): number =>
  entries.reduce((sum, entry) => sum + entry._bytes, 0);

// Reclaim the consumed prefix once it is this long (or dominates the array).
const MAX_CONSUMED_PREFIX = 1024;

/**
 * The FIFO of an `AsyncLogSink`: a head index instead of `Array#shift` keeps removal from the
 * front O(1) amortized; the byte total is kept alongside.
 */
export class EventQueue {
  #entries: QueuedEvent[] = [];
  #head = 0;
  #bytes = 0;

  /** Events queued. */
  _length(): number {
    return this.#entries.length - this.#head;
  }

  /** Estimated bytes queued. */
  _byteSize(): number {
    return this.#bytes;
  }

  /** The oldest entry, if any. */
  _oldest(): QueuedEvent | undefined {
    return this.#entries[this.#head];
  }

  /** Every entry, oldest first (a copy). */
  _all(): QueuedEvent[] {
    return this.#entries.slice(this.#head);
  }

  _push(entry: QueuedEvent): void {
    this.#entries.push(entry);
    this.#bytes += entry._bytes;
  }

  /** Puts `entries` in front of the queue. */
  _prepend(entries: QueuedEvent[]): void {
    this.#entries = entries.concat(this.#entries.slice(this.#head));
    this.#head = 0;
    this.#bytes += totalBytes(entries);
  }

  /** Removes up to `count` of the oldest entries. */
  _dropOldest(count: number): void {
    const end = Math.min(this.#head + count, this.#entries.length);
    while (this.#head < end) this.#bytes -= this.#entries[this.#head++]._bytes;
    // Keep memory proportional to the queue, not to everything that ever passed through it.
    if (this.#head > MAX_CONSUMED_PREFIX || this.#head * 2 > this.#entries.length) {
      this.#entries = this.#entries.slice(this.#head);
      this.#head = 0;
    }
  }

  /**
   * Drops the oldest entries while the queue is over either bound (never the newest one, unless
   * it is over the byte bound on its own: it can never fit, so it goes, not the queue before it).
   * @returns how many were dropped
   */
  _trimToBounds(maxEvents: number, maxBytes: number): number {
    let dropped = 0;
    if (this._length() > 1 && this.#entries.at(-1)!._bytes > maxBytes) {
      this.#bytes -= this.#entries.pop()!._bytes;
      dropped++;
    }
    for (; this._length() > 1 && (this._length() > maxEvents || this.#bytes > maxBytes); dropped++)
      this._dropOldest(1);
    return dropped;
  }

  /**
   * Removes and returns the next batch: at most `maxEvents`, within `maxBytes`, but always at
   * least one entry (when any is queued).
   */
  _takeBatch(maxEvents: number, maxBytes: number): QueuedEvent[] {
    const limit = Math.min(this.#entries.length, this.#head + maxEvents);
    let end = this.#head;
    for (
      let batchBytes = 0;
      end < limit && (end === this.#head || batchBytes + this.#entries[end]._bytes <= maxBytes);
    )
      batchBytes += this.#entries[end++]._bytes;
    const batch = this.#entries.slice(this.#head, end);
    this._dropOldest(end - this.#head);
    return batch;
  }
}
