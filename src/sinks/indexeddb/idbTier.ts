import type { IDBPDatabase } from 'idb';
import type { StoredTotals } from './chunk.js';
import type { Resolved } from './indexedDbOptions.js';
import { CHUNK_STORE, META_STORE, openDatabase } from './openDatabase.js';
import { ignore, quiet, type StoreTransaction, type StoreWork } from './storeTransaction.js';

/** The shared IndexedDB tier: see {@link createIdbTier}. */
export type IdbTier = ReturnType<typeof createIdbTier>;

/** The key of the running totals in the meta store; stored as the pair [events, bytes]. */
const TOTALS_KEY = 0;

/**
 * The buffer's IndexedDB tier: chunk records with auto-increment keys, and running totals in
 * `meta` updated in the same transactions, so the bounds hold across tabs. A connection the
 * browser closes or another tab's version change asks for is dropped and reopened on next use, and
 * a transaction that finds its connection gone is retried once. Other failures reject.
 */
export function createIdbTier(
  options: Resolved,
  report: (kind: string, message: string, error?: unknown) => void,
) {
  let connection: Promise<IDBPDatabase> | undefined;
  let opened = false;
  let closed = false;
  let totals: StoredTotals = { _events: 0, _bytes: 0 };

  /** Runs `work` in one readwrite transaction that asks for its commit as soon as `work` is done. */
  const run = async <T>(work: StoreWork<T>, retryOnLostConnection = true): Promise<T> => {
    if (closed) throw Error('closed');
    const opening = (connection ??= openDatabase(options, () => {
      // (not a newer connection: an old one's late close event)
      if (connection == opening) connection = undefined;
      report('indexeddb-reconnect', 'connection closed; reopening');
    }));
    const db = await opening;
    opened = true;
    let idbTransaction;
    try {
      // Relaxed durability: survives a crash of the page or browser, not of the OS.
      idbTransaction = db.transaction([CHUNK_STORE, META_STORE], 'readwrite', {
        durability: 'relaxed',
      });
      void quiet(idbTransaction.done);
      const chunkStore = idbTransaction.objectStore(CHUNK_STORE);
      const metaStore = idbTransaction.objectStore(META_STORE);
      const [storedEvents, storedBytes] = ((await metaStore.get(TOTALS_KEY)) as
        [number, number] | undefined) ?? [0, 0];
      const transaction: StoreTransaction = {
        _totals: { _events: storedEvents, _bytes: storedBytes },
        _add: (chunk) => quiet(chunkStore.add(chunk)),
        _has: (id) => chunkStore.index('id').getKey(id),
        async _walk(afterKey, visit) {
          let cursor = await chunkStore.openCursor(IDBKeyRange.lowerBound(afterKey, true));
          for (; cursor; cursor = await cursor.continue()) {
            const kept = visit(cursor.key as number, cursor.value);
            if (kept === undefined) break;
            if (kept !== cursor.value) void quiet(kept ? cursor.update(kept) : cursor.delete());
          }
        },
      };
      const result = await work(transaction);
      const { _events, _bytes } = transaction._totals;
      void quiet(metaStore.put([_events, _bytes], TOTALS_KEY));
      // Measured (e2e/indexeddbTabs.spec.ts): without commit() a write started as the tab closes is
      // usually lost. Missing in Safari < 15: the old auto-commit applies.
      (idbTransaction as unknown as IDBTransaction).commit?.();
      await idbTransaction.done;
      totals = transaction._totals;
      return result;
    } catch (error) {
      try {
        idbTransaction?.abort(); // a request threw synchronously: nothing may half-commit
      } catch {
        // already finished
      }
      // The connection went away under the transaction: one retry on a fresh connection.
      if (retryOnLostConnection && /^(InvalidState|Abort)Error$/.test((error as Error)?.name)) {
        connection = undefined;
        db.close();
        return run(work, false);
      }
      throw error;
    }
  };

  return {
    _run: <T>(work: StoreWork<T>) => run(work),
    /** Whether a connection ever opened (the tier may hold events). */
    _opened: () => opened,
    /** Stored events and bytes (all tabs), as of this page's last transaction. */
    _totals: () => totals,
    /** Closes the connection for good: later transactions reject. */
    _close() {
      closed = true;
      connection?.then((db) => db.close(), ignore);
      connection = undefined;
    },
    /** Whether `_close()` was called. */
    _closed: () => closed,
  };
}
