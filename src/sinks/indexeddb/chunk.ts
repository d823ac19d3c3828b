import type { LogEvent } from '../../core/event.js';

/**
 * One IndexedDB record: a chunk of consecutive events. Chromium charges one IPC round per request,
 * so a record per event spent ~17 µs of main thread per event and topped out near 25 000 events/s;
 * chunks of up to 100 events measured ~3 µs and ~150 000 events/s (bench/cases/indexeddb.mjs).
 * The field names are the stored format, read by other tabs and later pages: they are never
 * mangled (no leading `_`) and never renamed.
 */
export interface StoredChunk {
  /** Time of the newest event (the whole chunk has expired once this has). */
  newestTime: number;
  /** Estimated bytes of all events. */
  bytes: number;
  /** Event ids: a multi-entry index over them finds the chunk holding an id. */
  ids: string[];
  events: LogEvent[];
  /** Estimated bytes per event, index for index with `events`. */
  eventBytes: number[];
}

/** An event with its estimated bytes and, once stored, the key of its chunk. */
export interface BufferedEvent {
  _event: LogEvent;
  _bytes: number;
  _chunkKey?: number;
}

/** Events and estimated bytes in a storage tier. */
export interface StoredTotals {
  _events: number;
  _bytes: number;
}

/** What an append did. */
export interface AppendCounts {
  /** Oldest events deleted to stay within `maxEvents`/`maxBytes`. */
  _evicted: number;
  /** Events deleted because they were older than `maxAgeMs`. */
  _expired: number;
  /** Events appended (those already stored were skipped). */
  _added: number;
}

/** A chunk of `entries` (oldest first), or `null` when there are none. */
export const chunkOf = (entries: BufferedEvent[]): StoredChunk | null =>
  entries.length
    ? {
        newestTime: Math.max(...entries.map((entry) => entry._event.time)),
        bytes: entries.reduce((sum, entry) => sum + entry._bytes, 0),
        ids: entries.map((entry) => entry._event.id),
        events: entries.map((entry) => entry._event),
        eventBytes: entries.map((entry) => entry._bytes),
      }
    : null;

/** The chunk's events as buffered events (stored under `chunkKey`). */
export const entriesOf = (chunk: StoredChunk, chunkKey?: number): BufferedEvent[] =>
  chunk.events.map((event, i) => ({
    _event: event,
    _bytes: chunk.eventBytes[i],
    _chunkKey: chunkKey,
  }));

/** Splits `entries` into chunks of at most `maxEvents` events and (unless alone) `maxBytes` bytes. */
export function toChunks(
  entries: BufferedEvent[],
  maxEvents: number,
  maxBytes: number,
): StoredChunk[] {
  const chunks: StoredChunk[] = [];
  let start = 0;
  let chunkBytes = 0;
  entries.forEach((entry, i) => {
    if (i - start >= maxEvents || (i > start && chunkBytes + entry._bytes > maxBytes)) {
      chunks.push(chunkOf(entries.slice(start, (start = i)))!);
      chunkBytes = 0;
    }
    chunkBytes += entry._bytes;
  });
  if (entries.length) chunks.push(chunkOf(entries.slice(start))!);
  return chunks;
}
