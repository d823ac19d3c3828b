import type { LogEvent } from '../../core/event.js';
import type { BufferEntry, StoredEntry } from './bufferStore.js';

/**
 * One IndexedDB record: a chunk of consecutive events. Chromium charges one IPC round per request,
 * so a record per event spent ~17 µs of main thread per event and topped out near 25 000 events/s;
 * chunks of up to 100 events measured ~3 µs and ~150 000 events/s (bench/cases/indexeddb.mjs).
 */
export interface ChunkRecord {
  /** Time of the newest event (the whole chunk has expired once this has). */
  readonly t: number;
  /** Estimated bytes of all events. */
  readonly b: number;
  /** Event ids: a multi-entry index over them finds the chunk holding an id. */
  readonly ids: readonly string[];
  readonly e: readonly LogEvent[];
  /** Estimated bytes per event. */
  readonly s: readonly number[];
}

/** Builds a chunk from entries (oldest first). */
export function chunkOf(entries: readonly BufferEntry[]): ChunkRecord {
  let t = -Infinity;
  let b = 0;
  for (const { event, bytes } of entries) {
    if (event.time > t) t = event.time;
    b += bytes;
  }
  return {
    t,
    b,
    ids: entries.map((x) => x.event.id),
    e: entries.map((x) => x.event),
    s: entries.map((x) => x.bytes),
  };
}

/** Splits entries into chunks of at most `maxEvents` events and (unless alone) `maxBytes` bytes. */
export function toChunks(
  entries: readonly BufferEntry[],
  maxEvents: number,
  maxBytes: number,
): ChunkRecord[] {
  const out: ChunkRecord[] = [];
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < entries.length; i++) {
    const full = i - start >= maxEvents || (i > start && bytes + entries[i].bytes > maxBytes);
    if (full) {
      out.push(chunkOf(entries.slice(start, i)));
      start = i;
      bytes = 0;
    }
    bytes += entries[i].bytes;
  }
  if (start < entries.length) out.push(chunkOf(entries.slice(start)));
  return out;
}

/** The chunk's events as stored entries (all with the chunk's key). */
export function entriesOf(key: number, r: ChunkRecord): StoredEntry[] {
  return r.e.map((event, i) => ({ key, event, bytes: r.s[i] }));
}

/** The chunk without the events `drop` selects, or `undefined` when none is left. */
export function chunkWithout(
  r: ChunkRecord,
  drop: (id: string, index: number) => boolean,
): ChunkRecord | undefined {
  const kept: BufferEntry[] = [];
  r.e.forEach((event, i) => {
    if (!drop(event.id, i)) kept.push({ event, bytes: r.s[i] });
  });
  return kept.length ? chunkOf(kept) : undefined;
}
