import { entriesOf, type BufferedEvent, type StoredChunk } from './chunk.js';
import { ignore, type StoreTransaction, type StoreWork } from './storeTransaction.js';

/** This page's memory tier: see {@link createMemoryTier}. */
export type MemoryTier = ReturnType<typeof createMemoryTier>;

/**
 * The buffer's fallback storage: chunks in this page's memory, keyed like IndexedDB's
 * auto-increment keys, with the same transaction interface. Transactions run one at a time, as
 * IndexedDB's readwrite transactions do.
 */
export function createMemoryTier() {
  const chunks = new Map<number, StoredChunk>();
  let lastKey = 0;
  let storedIds: Set<string> | undefined; // built on first `_has` of a transaction
  let queue: Promise<unknown> = Promise.resolve();
  const transaction: StoreTransaction = {
    _totals: { _events: 0, _bytes: 0 },
    _add: (chunk) => chunks.set(++lastKey, chunk),
    _has: (id) =>
      (storedIds ??= new Set([...chunks.values()].flatMap((chunk) => chunk.ids))).has(id),
    async _walk(afterKey, visit) {
      for (const [chunkKey, chunk] of chunks) {
        if (chunkKey <= afterKey) continue;
        const kept = visit(chunkKey, chunk);
        if (kept === undefined) break;
        if (kept) chunks.set(chunkKey, kept);
        else chunks.delete(chunkKey);
      }
    },
  };

  return {
    /** Runs `work` after the transactions before it. */
    _run<T>(work: StoreWork<T>): Promise<T> {
      const result = queue.then(() => ((storedIds = undefined), work(transaction)));
      queue = result.catch(ignore);
      return result;
    },
    /** Stored events and bytes. */
    _totals: () => transaction._totals,
    /** The stored events, oldest first (synchronous, for the exit path). */
    _resident: (): BufferedEvent[] =>
      [...chunks].flatMap(([chunkKey, chunk]) => entriesOf(chunk, chunkKey)),
  };
}
