import type { AppendCounts, BufferedEvent, StoredTotals } from './chunk.js';
import type { StorageTier } from './bufferStore.js';
import { createIdbTier } from './idbTier.js';
import type { Resolved } from './indexedDbOptions.js';
import { createMemoryTier } from './memoryTier.js';
import type { OpenFailure } from './openDatabase.js';
import { ignore, type StoreWork } from './storeTransaction.js';
import { clearWork, createAppend, deleteWork, readWork } from './storeWork.js';

/** The buffer's storage: see {@link createStore}. */
export type Store = ReturnType<typeof createStore>;

/**
 * The buffer's storage with its fallback: the IndexedDB tier while it works, then this page's
 * memory tier, with the same bounds. Any IndexedDB failure other than a lost connection (missing
 * IndexedDB, open failing, blocked or timing out, quota exceeded, a broken backing store) switches
 * to memory for the rest of the page, reported once. Only `_delete` reports a failure to its
 * caller; nothing here rejects.
 */
export function createStore(
  options: Resolved,
  report: (kind: string, message: string, error?: unknown) => void,
) {
  const idbTier = createIdbTier(options, report);
  const memoryTier = createMemoryTier();
  const append = createAppend(options);
  let usesIdb = !!options.indexedDB;
  let timedOut = false; // fell back because a transaction hung: worth trying again later

  const fallBack = (error: unknown) => {
    if (!usesIdb || idbTier._closed()) return; // (after close() nothing is reported)
    usesIdb = false;
    const openFailure = (error as OpenFailure | undefined)?._reason ? (error as OpenFailure) : null;
    const name = (error as Error | undefined)?.name;
    timedOut = name == 'TimeoutError';
    const kind = openFailure
      ? `indexeddb-open-${openFailure._reason}`
      : timedOut
        ? 'indexeddb-timeout'
        : name == 'QuotaExceededError'
          ? 'indexeddb-quota'
          : 'indexeddb-failed';
    const what =
      openFailure?._message ??
      (timedOut
        ? 'a transaction hung'
        : name == 'QuotaExceededError'
          ? 'quota exceeded'
          : 'IndexedDB failed');
    report(kind, `${what}; buffering in memory`, openFailure ? openFailure._cause : error);
  };

  /** Runs `work` on `tier` (default: the current one); IndexedDB failing falls back. */
  const run = <T>(
    work: StoreWork<T>,
    tier: StorageTier = usesIdb ? 'indexeddb' : 'memory',
    onFailure: (error: unknown) => T | Promise<T> = () => memoryTier._run(work),
  ): Promise<T> =>
    tier == 'indexeddb'
      ? idbTier._run(work).catch((error) => (fallBack(error), onFailure(error)))
      : memoryTier._run(work);

  const tiers = (): StorageTier[] => (idbTier._opened() ? ['indexeddb', 'memory'] : ['memory']);

  return {
    /** Where new events go. */
    _tier: (): StorageTier => (usesIdb ? 'indexeddb' : 'memory'),
    /** The tiers that may hold events, IndexedDB first (if it ever opened). */
    _tiers: tiers,
    /** Opens the database now (instead of on first use), reading the totals. */
    _open: () =>
      options.indexedDB
        ? run(async () => {})
        : report('indexeddb-unavailable', 'no IndexedDB; buffering in memory'),

    /**
     * Writes `entries` to IndexedDB synchronously, in committed one-step transactions (see
     * `IdbTier._writeAtOnce`); how many from the front were issued (0 when IndexedDB is not in use
     * or no connection is open).
     */
    _writeAtOnce: (entries: BufferedEvent[], onFailed: (failed: BufferedEvent[]) => void) =>
      usesIdb ? idbTier._writeAtOnce(entries, onFailed) : 0,

    /** The page enters the back/forward cache: see `IdbTier._suspend`. */
    _suspend: idbTier._suspend,

    /**
     * The page is back from the back/forward cache: transactions run again, and IndexedDB is tried
     * again if a hung transaction made the buffer fall back to memory.
     */
    _resume() {
      idbTier._resume();
      if (timedOut && !idbTier._closed()) {
        timedOut = false;
        usesIdb = true;
      }
    },

    /** Events in this page's memory tier. */
    _memoryEvents: () => memoryTier._totals()._events,

    /** Appends in one transaction, within the bounds (see `createAppend`). */
    _append: (entries: BufferedEvent[], now: number, skipStored?: boolean): Promise<AppendCounts> =>
      run(append(entries, now, skipStored)),

    /** Whole chunks of one tier after `afterKey`, until at least `limit` events; empty on failure. */
    _read: (tier: StorageTier, afterKey: number, limit: number) =>
      run(readWork(afterKey, limit), tier, () => []),

    /**
     * Deletes these (read) entries from their tier, those still there. False when that failed: they
     * stay stored and are sent again (the one source of duplicates).
     */
    _delete: (tier: StorageTier, entries: BufferedEvent[]) =>
      run(deleteWork(entries), tier, (error) => {
        report('indexeddb-delete-failed', 'deleting sent events failed', error);
        return false;
      }),

    /** Empties every tier. */
    _clear: () => Promise.all(tiers().map((tier) => run(clearWork, tier, ignore))),

    /** Stored events and bytes over the tiers, as of this page's last transaction. */
    _totals: (): StoredTotals => {
      const shared = idbTier._totals();
      const own = memoryTier._totals();
      return { _events: shared._events + own._events, _bytes: shared._bytes + own._bytes };
    },

    /** The memory tier's events, oldest first (synchronous, for the exit path). */
    _resident: memoryTier._resident,

    _close: idbTier._close,
  };
}
