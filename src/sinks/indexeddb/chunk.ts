import type { LogEvent } from '../../core/event.js';

/**
 * One IndexedDB record: a chunk of consecutive events. Chromium charges one IPC round per request,
 * so a record per event spent ~17 µs of main thread per event and topped out near 25 000 events/s;
 * chunks of up to 100 events measured ~3 µs and ~150 000 events/s (bench/cases/indexeddb.mjs).
 */
export interface Chunk {
  /** Time of the newest event (the whole chunk has expired once this has). */
  t: number;
  /** Estimated bytes of all events. */
  b: number;
  /** Event ids: a multi-entry index over them finds the chunk holding an id. */
  ids: string[];
  e: LogEvent[];
  /** Estimated bytes per event. */
  s: number[];
}

/** An event with its estimated bytes and, once stored, the key of its chunk. */
export interface Entry {
  e: LogEvent;
  b: number;
  k?: number;
}

/** What an append did: [evicted (bounds), expired (maxAgeMs), added]. */
export type Counts = [number, number, number];

/** A chunk of `x` (oldest first), or `null` when `x` is empty. */
export const chunkOf = (x: Entry[]): Chunk | null =>
  x.length
    ? {
        t: Math.max(...x.map((y) => y.e.time)),
        b: x.reduce((n, y) => n + y.b, 0),
        ids: x.map((y) => y.e.id),
        e: x.map((y) => y.e),
        s: x.map((y) => y.b),
      }
    : null;

/** The chunk's events as entries (with key `k`). */
export const entriesOf = (c: Chunk, k?: number): Entry[] =>
  c.e.map((e, i) => ({ e, b: c.s[i], k }));

/** Splits `x` into chunks of at most `max` events and (unless alone) `maxBytes` bytes. */
export function toChunks(x: Entry[], max: number, maxBytes: number): Chunk[] {
  const out: Chunk[] = [];
  let start = 0;
  let bytes = 0;
  x.forEach((y, i) => {
    if (i - start >= max || (i > start && bytes + y.b > maxBytes)) {
      out.push(chunkOf(x.slice(start, (start = i)))!);
      bytes = 0;
    }
    bytes += y.b;
  });
  if (x.length) out.push(chunkOf(x.slice(start))!);
  return out;
}
