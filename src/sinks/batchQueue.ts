import type { LogEvent } from '../core/event.js';

/** A run of queued events taken together, with their size estimates and acceptance numbers. */
export interface Batch {
  events: LogEvent[];
  sizes: number[];
  /** Acceptance sequence numbers, ascending; `flush()` waits on them. */
  seqs: number[];
  bytes: number;
  /** Retries done so far. */
  attempt: number;
}

/** Creates a batch from parallel arrays. */
export function makeBatch(events: LogEvent[], sizes: number[], seqs: number[]): Batch {
  let bytes = 0;
  for (const s of sizes) bytes += s;
  return { events, sizes, seqs, bytes, attempt: 0 };
}

/** Removes the first `n` events of `batch` in place. */
export function dropFront(batch: Batch, n: number): void {
  batch.events.splice(0, n);
  batch.seqs.splice(0, n);
  for (const s of batch.sizes.splice(0, n)) batch.bytes -= s;
}

/**
 * FIFO of accepted events with O(1) push and amortized O(1) removal from the front (a head index
 * instead of `Array#shift`, compacted now and then), tracking count and estimated bytes.
 */
export class BatchQueue {
  private events: LogEvent[] = [];
  private sizes: number[] = [];
  private seqs: number[] = [];
  private head = 0;
  /** Sum of the size estimates of the queued events. */
  bytes = 0;

  /** Number of queued events. */
  get length(): number {
    return this.events.length - this.head;
  }

  /** Sequence number of the oldest queued event, or `Infinity` when empty. */
  firstSeq(): number {
    return this.head < this.seqs.length ? this.seqs[this.head] : Infinity;
  }

  /** Appends one event. */
  push(event: LogEvent, size: number, seq: number): void {
    this.events.push(event);
    this.sizes.push(size);
    this.seqs.push(seq);
    this.bytes += size;
  }

  /** Puts a batch's events back in front (a hand-off that came back). */
  unshift(batch: Batch): void {
    this.compact(true);
    this.events.unshift(...batch.events);
    this.sizes.unshift(...batch.sizes);
    this.seqs.unshift(...batch.seqs);
    this.bytes += batch.bytes;
  }

  /** Removes up to `n` events from the front. */
  drop(n: number): void {
    const end = Math.min(this.head + n, this.events.length);
    for (let i = this.head; i < end; i++) this.bytes -= this.sizes[i];
    this.head = end;
    this.compact(false);
  }

  /** The queued events, oldest first (a copy). */
  toArray(): LogEvent[] {
    return this.events.slice(this.head);
  }

  /** Takes the oldest events: at most `maxEvents`, within `maxBytes` but always at least one. */
  take(maxEvents: number, maxBytes: number): Batch {
    let end = this.head;
    let bytes = 0;
    const limit = Math.min(this.events.length, this.head + maxEvents);
    while (end < limit && (end === this.head || bytes + this.sizes[end] <= maxBytes)) {
      bytes += this.sizes[end++];
    }
    const batch: Batch = {
      events: this.events.slice(this.head, end),
      sizes: this.sizes.slice(this.head, end),
      seqs: this.seqs.slice(this.head, end),
      bytes,
      attempt: 0,
    };
    this.drop(end - this.head);
    return batch;
  }

  private compact(force: boolean): void {
    // Reclaim the consumed prefix once it dominates, so memory stays proportional to the queue.
    if (this.head === 0 || (!force && this.head < 1024 && this.head * 2 < this.events.length)) {
      return;
    }
    this.events = this.events.slice(this.head);
    this.sizes = this.sizes.slice(this.head);
    this.seqs = this.seqs.slice(this.head);
    this.head = 0;
  }
}
