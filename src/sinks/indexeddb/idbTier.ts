import type { IDBPDatabase, IDBPTransaction } from 'idb';
import { toChunks, type BufferedEvent, type StoredTotals } from './chunk.js';
import type { Resolved } from './indexedDbOptions.js';
import { CHUNK_STORE, META_STORE, openDatabase } from './openDatabase.js';
import { ignore, quiet, type StoreTransaction, type StoreWork } from './storeTransaction.js';

/** The shared IndexedDB tier: see {@link createIdbTier}. */
export type IdbTier = ReturnType<typeof createIdbTier>;

/** The key of the running totals in the meta store; stored as the pair [events, bytes]. */
const TOTALS_KEY = 0;
/**
 * Set by a single-step write, which cannot read the totals first: the next transaction recounts
 * them from the chunks.
 */
const RECOUNT_KEY = 1;
const STORES = [CHUNK_STORE, META_STORE];
/**
 * Chunks per one-step exit transaction (1 000 events with the default `drainBatchEvents`).
 * Measured in Chromium on a loaded 2-core machine: issuing a 10 000-event exit write took up to
 * ~480 ms of a page slowed 4×, and a page killed before its commit kept none of it.
 */
const EXIT_TRANSACTION_CHUNKS = 10;
/** Relaxed durability: survives a crash of the page or browser, not of the OS. */
const RELAXED = { durability: 'relaxed' } as const;

type Transaction = IDBPTransaction<unknown, string[], 'readwrite'>;

/** Ask for the commit now instead of after the last request's callbacks (missing in Safari < 15). */
const commitNow = (transaction: Transaction) =>
  (transaction as unknown as IDBTransaction).commit?.();

/** The rejection of a transaction that outlived `transactionTimeoutMs`. */
export const transactionTimeout = () =>
  Object.assign(new Error('IndexedDB transaction timed out'), { name: 'TimeoutError' });

/**
 * The buffer's IndexedDB tier: chunk records with auto-increment keys, and running totals in
 * `meta` updated in the same transactions, so the bounds hold across tabs. A connection the
 * browser closes or another tab's version change asks for is dropped and reopened on next use, and
 * a transaction that finds its connection gone is retried once. Every transaction is bounded by
 * `transactionTimeoutMs`: one that outlives it is aborted and rejects (WebKit: after a page with a
 * transaction in flight went into the back/forward cache, other pages' transactions on the
 * database hung with no error). Other failures reject too.
 */
export function createIdbTier(
  options: Resolved,
  report: (kind: string, message: string, error?: unknown) => void,
) {
  const { _setTimer: setTimer, _clearTimer: clearTimer, transactionTimeoutMs } = options;
  let connection: Promise<IDBPDatabase> | undefined;
  let openDb: IDBPDatabase | undefined; // the connection once open (for the synchronous exit write)
  let opened = false;
  let closed = false;
  let totals: StoredTotals = { _events: 0, _bytes: 0 };
  const running = new Set<Transaction>(); // multi-step transactions, aborted on exit and suspend
  const abortedOnPurpose = new WeakSet<Transaction>(); // retried once when the page lives on
  let resumed: Promise<void> | undefined; // while suspended: resolves on resume
  let resume = ignore;

  const forget = () => {
    connection = openDb = undefined;
  };
  const connect = () => {
    if (!connection) {
      const opening = (connection = openDatabase(options, () => {
        // (not a newer connection: an old one's late close event)
        if (connection == opening) forget();
        report('indexeddb-reconnect', 'connection closed; reopening');
      }));
    }
    return connection;
  };

  /** The transaction's steps: totals (recounted when flagged), `work`, totals back, commit. */
  const steps = async <T>(idbTransaction: Transaction, work: StoreWork<T>): Promise<T> => {
    const chunkStore = idbTransaction.objectStore(CHUNK_STORE);
    const metaStore = idbTransaction.objectStore(META_STORE);
    const [saved, recount] = await Promise.all([
      metaStore.get(TOTALS_KEY) as Promise<[number, number] | undefined>,
      metaStore.get(RECOUNT_KEY),
    ]);
    const transaction: StoreTransaction = {
      _totals: { _events: saved?.[0] ?? 0, _bytes: saved?.[1] ?? 0 },
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
    if (recount) {
      const counted = { _events: 0, _bytes: 0 };
      await transaction._walk(0, (_, chunk) => {
        counted._events += chunk.events.length;
        counted._bytes += chunk.bytes;
        return chunk;
      });
      transaction._totals = counted;
      void quiet(metaStore.delete(RECOUNT_KEY));
    }
    const result = await work(transaction);
    const { _events, _bytes } = transaction._totals;
    void quiet(metaStore.put([_events, _bytes], TOTALS_KEY));
    // Measured (e2e/indexeddbTabs.spec.ts): without commit() a write started as the tab closes is
    // usually lost.
    commitNow(idbTransaction);
    await idbTransaction.done;
    totals = transaction._totals;
    return result;
  };

  /**
   * Aborts the multi-step transactions in flight; each is retried once, on a fresh connection,
   * if the page lives on. One waiting for its next step needs this page's script, which stops
   * once the page is gone: it would never commit, and the one-step exit transactions queued
   * behind it on the same stores were aborted with it (measured in Chromium: a tab closed during
   * a burst kept none of its exit write).
   */
  const abortRunning = () => {
    for (const idbTransaction of running) {
      try {
        abortedOnPurpose.add(idbTransaction);
        idbTransaction.abort();
      } catch {
        // committing already: it completes without this page's script
      }
    }
  };

  /** `outcome`, or a timeout error when it has not settled within `transactionTimeoutMs`. */
  const settleWithin = async <T>(outcome: Promise<T>): Promise<T> => {
    let timer: unknown;
    try {
      return await Promise.race([
        outcome,
        new Promise<never>((_, reject) => {
          timer = setTimer(() => reject(transactionTimeout()), transactionTimeoutMs);
        }),
      ]);
    } finally {
      clearTimer(timer);
    }
  };

  /** Runs `work` in one readwrite transaction that asks for its commit as soon as `work` is done. */
  const run = async <T>(work: StoreWork<T>, retryOnLostConnection = true): Promise<T> => {
    if (closed) throw Error('closed');
    await resumed;
    if (closed) throw Error('closed');
    const db = await connect();
    openDb = db;
    opened = true;
    let idbTransaction: Transaction | undefined;
    let timer: unknown;
    let done: Promise<T> | undefined;
    try {
      idbTransaction = db.transaction(STORES, 'readwrite', RELAXED);
      void quiet(idbTransaction.done);
      running.add(idbTransaction);
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimer(() => reject(transactionTimeout()), transactionTimeoutMs);
      });
      done = steps(idbTransaction, work);
      void quiet(done);
      return await Promise.race([done, timedOut]);
    } catch (error) {
      try {
        idbTransaction?.abort(); // a request failed or it hung: nothing may half-commit
      } catch {
        // Already committing (or finished): a timeout that fired after the commit was asked. The
        // write may still commit, so falling back to memory could store it twice: its outcome
        // decides, within one more timeout.
        if ((error as Error)?.name == 'TimeoutError' && done) return await settleWithin(done);
      }
      // The connection went away under the transaction, or a suspend aborted it (its next request
      // then throws TransactionInactiveError in WebKit): one retry on a fresh connection, after
      // the page is shown again.
      const lostConnection =
        (idbTransaction && abortedOnPurpose.has(idbTransaction)) ||
        /^(InvalidState|Abort|TransactionInactive)Error$/.test((error as Error)?.name);
      if (retryOnLostConnection && lostConnection) {
        forget();
        db.close();
        return run(work, false);
      }
      throw error;
    } finally {
      clearTimer(timer);
      if (idbTransaction) running.delete(idbTransaction);
    }
  };

  return {
    _run: <T>(work: StoreWork<T>) => run(work),

    /**
     * Writes `entries` synchronously, oldest first, in one-step transactions of at most
     * {@link EXIT_TRANSACTION_CHUNKS} chunks: every request issued, then the commit, no `await` in
     * between, so each completes without this page's script (the page may be going away or into
     * the back/forward cache). Several small transactions rather than one: a page killed while it
     * issues them (Chromium kills a closing page whose exit takes longer than its unload timeout)
     * keeps those already committed. The totals are left to be recounted by the next transaction.
     * @param onFailed - receives the entries of a transaction that failed (the page lived on)
     * @returns how many entries from the front were issued: 0 when no connection is open now (or
     *   suspended), fewer when the connection went away meanwhile
     */
    _writeAtOnce(entries: BufferedEvent[], onFailed: (failed: BufferedEvent[]) => void): number {
      if (closed || resumed || !openDb || !entries.length) return 0;
      abortRunning(); // (they would hold these writes until the page is gone)
      const chunks = toChunks(entries, options.drainBatchEvents, options.drainBatchBytes);
      let issued = 0;
      for (let first = 0; first < chunks.length; first += EXIT_TRANSACTION_CHUNKS) {
        const part = chunks.slice(first, first + EXIT_TRANSACTION_CHUNKS);
        const partEvents = part.reduce((n, chunk) => n + chunk.events.length, 0);
        const partEntries = entries.slice(issued, issued + partEvents);
        try {
          const idbTransaction = openDb.transaction(STORES, 'readwrite', RELAXED);
          idbTransaction.done.catch(() => onFailed(partEntries));
          const chunkStore = idbTransaction.objectStore(CHUNK_STORE);
          for (const chunk of part) void quiet(chunkStore.add(chunk));
          void quiet(idbTransaction.objectStore(META_STORE).put(1, RECOUNT_KEY));
          commitNow(idbTransaction);
        } catch {
          break; // the connection is closing: the caller keeps the rest
        }
        issued += partEvents;
      }
      return issued;
    },

    /**
     * The page goes into the back/forward cache: aborts the multi-step transactions (the page's
     * script stops between their steps, which held the database for every other page in WebKit)
     * and closes the connection. Transactions wait for `_resume()`; aborted ones are retried then.
     */
    _suspend() {
      resumed ??= new Promise((resolve) => (resume = resolve));
      abortRunning();
      const db = openDb;
      forget();
      db?.close();
    },

    /** The page is shown again: transactions run again, on a new connection. */
    _resume() {
      resumed = undefined;
      resume();
    },

    /** Whether a connection ever opened (the tier may hold events). */
    _opened: () => opened,
    /** Stored events and bytes (all tabs), as of this page's last transaction. */
    _totals: () => totals,
    /** Closes the connection for good: later transactions reject. */
    _close() {
      closed = true;
      connection?.then((db) => db.close(), ignore);
      forget();
      resume(); // (a transaction waiting for resume rejects as closed)
    },
    /** Whether `_close()` was called. */
    _closed: () => closed,
  };
}
