import type { IDBPDatabase } from 'idb';
import { chunkOf, entriesOf, toChunks, type Chunk, type Counts, type Entry } from './chunk.js';
import type { Resolved } from './indexedDbOptions.js';
import { openDatabase, STORES } from './openDatabase.js';

/** What one storage transaction may do; the IndexedDB and the memory tier implement it alike. */
interface Ops {
  /** Stored [events, bytes]; written back when the transaction ends. */
  t: [number, number];
  add(c: Chunk): unknown;
  /** Truthy when an event with this id is stored. */
  has(id: string): unknown;
  /**
   * Visits the chunks after key `after`, oldest first. `visit` returns the chunk to keep it,
   * another chunk to replace it, `null` to delete it, or `undefined` to stop.
   */
  walk(after: number, visit: (k: number, c: Chunk) => Chunk | null | undefined): Promise<void>;
}
type Tx<T> = (o: Ops) => Promise<T>;

const noop = () => {};
/** Marks a promise nobody may await as handled (a request of an aborted transaction rejects). */
const quiet = (p: Promise<unknown>) => p.catch(noop);

/** The buffer's storage: see {@link createStore}. */
export type Store = ReturnType<typeof createStore>;

/**
 * The buffer's storage with its fallback: IndexedDB while it works (chunk records with
 * auto-increment keys, and running totals in `meta` updated in the same transactions, so the bounds
 * hold across tabs), then this page's memory, with the same bounds. A connection the browser closes
 * or another tab's version change asks for is dropped and reopened on next use, and an operation
 * that finds its connection gone is retried once. Any other failure (missing IndexedDB, open failing,
 * blocked or timing out, quota exceeded, a broken backing store) switches to memory for the rest of
 * the page, reported once. Only `del` reports a failure to its caller; nothing here rejects.
 */
export function createStore(
  opts: Resolved,
  report: (kind: string, message: string, error?: unknown) => void,
) {
  const { indexedDB: factory, maxEvents, maxBytes, maxAgeMs } = opts;
  const { drainBatchEvents: per, drainBatchBytes: perBytes } = opts;
  let conn: Promise<IDBPDatabase> | undefined;
  let useIdb = !!factory;
  let opened = false;
  let closed = false;
  let idbTotals = [0, 0];
  let nextExpiryCheck = 0;
  const mem = new Map<number, Chunk>();
  let memKey = 0;
  let memIds: Set<string> | undefined;
  let memQueue: Promise<unknown> = Promise.resolve();
  const memOps: Ops = {
    t: [0, 0],
    add: (c) => mem.set(++memKey, c),
    has: (id) => (memIds ??= new Set([...mem.values()].flatMap((c) => c.ids))).has(id),
    async walk(after, visit) {
      for (const [k, c] of mem) {
        if (k <= after) continue;
        const r = visit(k, c);
        if (r === undefined) break;
        if (r) mem.set(k, r);
        else mem.delete(k);
      }
    },
  };
  // Memory transactions run one at a time, as IndexedDB's readwrite transactions do.
  const memTx = <T>(fn: Tx<T>): Promise<T> => {
    const r = memQueue.then(() => ((memIds = undefined), fn(memOps)));
    memQueue = r.catch(noop);
    return r;
  };

  /** Runs `fn` in one readwrite transaction that asks for its commit as soon as `fn` is done. */
  const idb = async <T>(fn: Tx<T>, retry = true): Promise<T> => {
    if (closed) throw Error('closed');
    const p = (conn ??= openDatabase(opts, () => {
      if (conn == p) conn = undefined; // (not a newer connection: an old one's late close event)
      report('indexeddb-reconnect', 'connection closed; reopening');
    }));
    const db = await p;
    opened = true;
    let tx;
    try {
      // Relaxed durability: survives a crash of the page or browser, not of the OS.
      tx = db.transaction(STORES, 'readwrite', { durability: 'relaxed' });
      void quiet(tx.done);
      const s = tx.objectStore(STORES[0]);
      const m = tx.objectStore(STORES[1]);
      const ops: Ops = {
        t: (await m.get(0)) ?? [0, 0],
        add: (c) => quiet(s.add(c)),
        has: (id) => s.index('id').getKey(id),
        async walk(after, visit) {
          let cur = await s.openCursor(IDBKeyRange.lowerBound(after, true));
          for (; cur; cur = await cur.continue()) {
            const r = visit(cur.key as number, cur.value);
            if (r === undefined) break;
            if (r !== cur.value) void quiet(r ? cur.update(r) : cur.delete());
          }
        },
      };
      const out = await fn(ops);
      void quiet(m.put(ops.t, 0));
      // Measured (e2e/indexeddbTabs.spec.ts): without commit() a write started as the tab closes is
      // usually lost. Missing in Safari < 15: the old auto-commit applies.
      (tx as unknown as IDBTransaction).commit?.();
      await tx.done;
      idbTotals = ops.t;
      return out;
    } catch (error) {
      try {
        tx?.abort(); // a request threw synchronously: nothing of this batch may half-commit
      } catch {
        // already finished
      }
      // The connection went away under the operation: one retry on a fresh connection.
      if (retry && /^(InvalidState|Abort)Error$/.test((error as Error)?.name)) {
        conn = undefined;
        db.close();
        return idb(fn, false);
      }
      throw error;
    }
  };

  const fallBack = (e: any) => {
    if (!useIdb || closed) return; // (after close() nothing is reported)
    useIdb = false;
    const quota = e?.name == 'QuotaExceededError';
    report(
      `indexeddb-${e?.k ? `open-${e.k}` : quota ? 'quota' : 'failed'}`,
      `${e?.m ?? (quota ? 'quota exceeded' : 'IndexedDB failed')}; buffering in memory`,
      e?.cause ?? e,
    );
  };

  /** Runs `fn` on the tier `idbTier` (default: the current one); IndexedDB failing falls back. */
  const run = <T>(
    fn: Tx<T>,
    idbTier = useIdb,
    onFail: (e: unknown) => T | Promise<T> = () => memTx(fn),
  ): Promise<T> => (idbTier ? idb(fn).catch((e) => (fallBack(e), onFail(e))) : memTx(fn));
  const tiers = () => (opened ? [true, false] : [false]);

  /** Whole chunks after `after` until at least `limit` events (or the end). */
  const read =
    (after: number, limit: number): Tx<Entry[]> =>
    async (o) => {
      const out: Entry[] = [];
      await o.walk(
        after,
        (k, c) => (out.push(...entriesOf(c, k)), out.length < limit ? c : undefined),
      );
      if (!after && !out.length) o.t = [0, 0]; // empty: heal totals that drifted
      return out;
    };

  return {
    /** Whether new events go to IndexedDB (else memory). */
    idb: () => useIdb,
    /** The tiers that may hold events, IndexedDB first (if it ever opened). */
    tiers,
    /** Opens the database now (instead of on first use), reading the totals. */
    open: () =>
      factory
        ? run(async () => {})
        : report('indexeddb-unavailable', 'no IndexedDB; buffering in memory'),

    /**
     * Appends in one transaction (skipping ids already stored when `skip`), then removes the oldest
     * events while over `maxEvents`/`maxBytes` (cutting into a chunk so the bounds are exact) and
     * whole chunks whose newest event is older than `maxAgeMs`.
     */
    append: (x: Entry[], now: number, skip?: boolean) =>
      run(async (o): Promise<Counts> => {
        if (skip) {
          const found = await Promise.all(x.map((y) => o.has(y.e.id)));
          x = x.filter((_, i) => !found[i]);
        }
        let [events, bytes] = o.t;
        for (const c of toChunks(x, per, perBytes)) {
          o.add(c);
          events += c.e.length;
          bytes += c.b;
        }
        let evicted = 0;
        let expired = 0;
        const cutoff = now - maxAgeMs;
        // Checking the oldest chunk for expiry costs a read: once a second is plenty.
        if (events > maxEvents || bytes > maxBytes || now >= nextExpiryCheck) {
          nextExpiryCheck = now + 1000;
          await o.walk(0, (_, c) => {
            const len = c.e.length;
            let n = 0;
            let b = 0;
            while (n < len && (events - n > maxEvents || bytes - b > maxBytes)) b += c.s[n++];
            evicted += n;
            if (c.t < cutoff) {
              expired += len - n;
              n = len;
              b = c.b;
            }
            if (!n) return; // within the bounds and fresh: stop
            events -= n;
            bytes -= b;
            return chunkOf(entriesOf(c).slice(n));
          });
        }
        o.t = [events, bytes];
        return [evicted, expired, x.length];
      }),

    /** Reads from one tier; empty when that fails. */
    read: (idbTier: boolean, after: number, limit: number) =>
      run(read(after, limit), idbTier, () => []),

    /**
     * Deletes these (read) entries from their tier, those still there. False when that failed: they
     * stay stored and are sent again (the one source of duplicates).
     */
    del: (idbTier: boolean, x: Entry[]) => {
      const ids = new Set(x.map((y) => y.e.id));
      return run(
        async (o) => {
          // Entries are read in key order: the chunks from the first's key to the last's.
          await o.walk(x[0].k! - 1, (k, c) => {
            if (k > x.at(-1)!.k!) return;
            const r = chunkOf(entriesOf(c).filter((y) => !ids.has(y.e.id)));
            o.t = [o.t[0] - c.e.length + (r?.e.length ?? 0), o.t[1] - c.b + (r?.b ?? 0)];
            return r;
          });
          return true;
        },
        idbTier,
        (e) => (report('indexeddb-delete-failed', 'deleting sent events failed', e), false),
      );
    },

    /** Empties every tier. */
    clear: () =>
      Promise.all(
        tiers().map((t) =>
          run(
            async (o) => {
              await o.walk(0, () => null);
              o.t = [0, 0];
            },
            t,
            noop,
          ),
        ),
      ),

    /** Stored [events, bytes] over the tiers, as of this page's last operation. */
    totals: () => [idbTotals[0] + memOps.t[0], idbTotals[1] + memOps.t[1]],

    /** The memory tier's events, oldest first (synchronous, for the exit path). */
    resident: () => [...mem].flatMap(([k, c]) => entriesOf(c, k)),

    close() {
      closed = true;
      conn?.then((db) => db.close(), noop);
      conn = undefined;
    },
  };
}
