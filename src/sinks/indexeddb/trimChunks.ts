import type { IDBPObjectStore } from 'idb';
import type { AppendResult, BufferBounds, BufferTotals } from './bufferStore.js';
import { chunkWithout, type ChunkRecord } from './chunk.js';
import type { EVENTS_STORE } from './openDatabase.js';
import { quiet } from './requests.js';

/** When and what {@link trimChunks} trims. */
export interface TrimOptions extends BufferBounds {
  readonly now: number;
  /** Also look for expired chunks (a cursor step even when within the bounds). */
  readonly checkExpiry: boolean;
}

/**
 * Inside a write transaction: removes the oldest events while over the bounds (cutting into the
 * oldest chunk when only part of it must go, so the bounds are exact) and whole chunks whose newest
 * event expired. Returns what was removed and the new totals.
 * @param store - the chunk store of a readwrite transaction
 * @param totals - the totals including what this transaction added
 */
export async function trimChunks(
  store: IDBPObjectStore<unknown, string[], typeof EVENTS_STORE, 'readwrite'>,
  totals: BufferTotals,
  o: TrimOptions,
): Promise<AppendResult & { totals: BufferTotals }> {
  let { events, bytes } = totals;
  let evicted = 0;
  let expired = 0;
  const over = () => events > o.maxEvents || bytes > o.maxBytes;
  if (over() || o.checkExpiry) {
    const cutoff = o.now - o.maxAgeMs;
    let cursor = await quiet(store.openCursor());
    while (cursor) {
      const r = cursor.value as ChunkRecord;
      let n = r.e.length;
      let b = r.b;
      if (over()) {
        n = 0;
        b = 0;
        while (n < r.e.length && (events - n > o.maxEvents || bytes - b > o.maxBytes)) {
          b += r.s[n++];
        }
        evicted += n;
      } else if (r.t < cutoff) expired += n;
      else break;
      events -= n;
      bytes -= b;
      if (n < r.e.length) {
        void quiet(cursor.update(chunkWithout(r, (_, i) => i < n)!));
        break;
      }
      void quiet(cursor.delete());
      cursor = await quiet(cursor.continue());
    }
  }
  return { evicted, expired, totals: { events: Math.max(0, events), bytes: Math.max(0, bytes) } };
}
