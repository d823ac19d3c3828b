import { chunkOf, entriesOf, toChunks, type AppendCounts, type BufferedEvent } from './chunk.js';
import type { Resolved } from './indexedDbOptions.js';
import type { StoreWork } from './storeTransaction.js';

/** Checking the oldest chunk for expiry costs a read: once a second is plenty. */
const EXPIRY_CHECK_INTERVAL_MS = 1000;

/**
 * The append of one buffer, with its bounds: see the returned function. Holds when the next expiry
 * check is due.
 */
export function createAppend({
  maxEvents,
  maxBytes,
  maxAgeMs,
  drainBatchEvents,
  drainBatchBytes,
}: Resolved) {
  let nextExpiryCheck = 0;
  /**
   * Appends `entries` (skipping ids already stored when `skipStored`), then removes the oldest
   * events while over `maxEvents`/`maxBytes` (cutting into a chunk so the bounds are exact) and
   * whole chunks whose newest event is older than `maxAgeMs`.
   */
  return (entries: BufferedEvent[], now: number, skipStored?: boolean): StoreWork<AppendCounts> =>
    async (transaction) => {
      if (skipStored) {
        const found = await Promise.all(entries.map((entry) => transaction._has(entry._event.id)));
        // Each event once: replayed spill rows may repeat one (a hidden page's copy of its write in
        // flight, and its exit's spill of the same write). Measured in Firefox (10,000-event burst,
        // tab closed): 13,557 rows replayed, and with the store's 10,000-event bound the repeats
        // pushed 3,557 events out (evicted) before any was sent.
        const taken = new Set<string>();
        entries = entries.filter((entry, i) => {
          const id = entry._event.id;
          if (found[i] || taken.has(id)) return false;
          taken.add(id);
          return true;
        });
      }
      let { _events: events, _bytes: bytes } = transaction._totals;
      for (const chunk of toChunks(entries, drainBatchEvents, drainBatchBytes)) {
        transaction._add(chunk);
        events += chunk.events.length;
        bytes += chunk.bytes;
      }
      let evicted = 0;
      let expired = 0;
      const expiredBefore = now - maxAgeMs;
      if (events > maxEvents || bytes > maxBytes || now >= nextExpiryCheck) {
        nextExpiryCheck = now + EXPIRY_CHECK_INTERVAL_MS;
        await transaction._walk(0, (_, chunk) => {
          const chunkEvents = chunk.events.length;
          let removedEvents = 0;
          let removedBytes = 0;
          while (
            removedEvents < chunkEvents &&
            (events - removedEvents > maxEvents || bytes - removedBytes > maxBytes)
          )
            removedBytes += chunk.eventBytes[removedEvents++];
          evicted += removedEvents;
          if (chunk.newestTime < expiredBefore) {
            expired += chunkEvents - removedEvents;
            removedEvents = chunkEvents;
            removedBytes = chunk.bytes;
          }
          if (!removedEvents) return; // within the bounds and fresh: stop
          events -= removedEvents;
          bytes -= removedBytes;
          return chunkOf(entriesOf(chunk).slice(removedEvents));
        });
      }
      transaction._totals = { _events: events, _bytes: bytes };
      return { _evicted: evicted, _expired: expired, _added: entries.length };
    };
}

/** Whole chunks after `afterKey` until at least `limit` events (or the end). */
export const readWork =
  (afterKey: number, limit: number): StoreWork<BufferedEvent[]> =>
  async (transaction) => {
    const entries: BufferedEvent[] = [];
    await transaction._walk(afterKey, (chunkKey, chunk) => {
      entries.push(...entriesOf(chunk, chunkKey));
      return entries.length < limit ? chunk : undefined;
    });
    // Empty: heal totals that drifted.
    if (!afterKey && !entries.length) transaction._totals = { _events: 0, _bytes: 0 };
    return entries;
  };

/** Deletes these (read) entries, those still stored; resolves `true`. */
export const deleteWork =
  (entries: BufferedEvent[]): StoreWork<boolean> =>
  async (transaction) => {
    const ids = new Set(entries.map((entry) => entry._event.id));
    // Entries are read in key order: the chunks from the first's key to the last's.
    const lastKey = entries.at(-1)!._chunkKey!;
    await transaction._walk(entries[0]._chunkKey! - 1, (chunkKey, chunk) => {
      if (chunkKey > lastKey) return;
      const kept = chunkOf(entriesOf(chunk).filter((entry) => !ids.has(entry._event.id)));
      const { _events, _bytes } = transaction._totals;
      transaction._totals = {
        _events: _events - chunk.events.length + (kept?.events.length ?? 0),
        _bytes: _bytes - chunk.bytes + (kept?.bytes ?? 0),
      };
      return kept;
    });
    return true;
  };

/** Deletes every chunk. */
export const clearWork: StoreWork<void> = async (transaction) => {
  await transaction._walk(0, () => null);
  transaction._totals = { _events: 0, _bytes: 0 };
};
