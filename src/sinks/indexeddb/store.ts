import { unwrap, type IDBPDatabase } from 'idb';
import type {
  AppendResult,
  BufferBounds,
  BufferEntry,
  BufferStore,
  BufferTotals,
  StoredEntry,
} from './bufferStore.js';
import { chunkWithout, entriesOf, toChunks, type ChunkRecord } from './chunk.js';
import { commitNow, noop, quiet, WRITE_OPTIONS } from './requests.js';
import { trimChunks } from './trimChunks.js';
import {
  EVENTS_STORE,
  ID_INDEX,
  META_STORE,
  openBufferDatabase,
  type OpenTimers,
} from './openDatabase.js';

const TOTALS_KEY = 'totals';
const ZERO: BufferTotals = { events: 0, bytes: 0 };
// Checking the oldest record for expiry costs a cursor step; once a second is plenty for an age in days.
const EXPIRY_CHECK_INTERVAL_MS = 1000;
/** Options of {@link IdbStore}. */
export interface IdbStoreOptions {
  readonly factory: IDBFactory;
  readonly database: string;
  readonly bounds: BufferBounds;
  /** Most events and bytes per chunk record (the drain batch, so a chunk is one upload). */
  readonly chunkEvents: number;
  readonly chunkBytes: number;
  readonly openTimeoutMs: number;
  readonly timers: OpenTimers;
  /** Called when the browser closed the connection or another tab asked for a version change. */
  readonly onDisconnect?: (reason: 'close' | 'versionchange') => void;
}

type Db = IDBPDatabase;

/**
 * The IndexedDB tier: chunk records (see {@link ChunkRecord}) with auto-increment keys and a
 * totals record updated in the same transactions, so bounds hold across all tabs sharing the
 * database. A connection that the browser closes or another tab's upgrade asks for is dropped and
 * reopened on next use.
 */
export class IdbStore implements BufferStore {
  readonly tier = 'indexeddb' as const;
  private db: Promise<Db> | undefined;
  private cached: BufferTotals = ZERO;
  private nextExpiryCheck = 0;
  private closed = false;

  constructor(private readonly options: IdbStoreOptions) {}

  /** Opens the database (once); rejects with an `IdbOpenError` when it cannot be opened. */
  connection(): Promise<Db> {
    if (this.closed) return Promise.reject(new Error('store closed'));
    if (!this.db) {
      const { factory, database, openTimeoutMs, timers } = this.options;
      const opening = openBufferDatabase(factory, database, openTimeoutMs, timers).then((db) => {
        this.watch(opening, db);
        if (this.closed) db.close();
        return db;
      });
      this.db = quiet(opening);
      opening.catch(() => {
        if (this.db === opening) this.db = undefined;
      });
    }
    return this.db;
  }

  /** Forgets the current connection (closing it); the next operation opens a new one. */
  disconnect(): void {
    const current = this.db;
    this.db = undefined;
    current?.then((db) => db.close(), noop);
  }

  append(entries: readonly BufferEntry[], now: number): Promise<AppendResult> {
    return this.write(entries, now, false);
  }

  appendMissing(
    entries: readonly BufferEntry[],
    now: number,
  ): Promise<AppendResult & { added: number }> {
    return this.write(entries, now, true);
  }

  async readOldest(maxEvents: number): Promise<StoredEntry[]> {
    const page = (await this.readPage(undefined, maxEvents)).slice(0, maxEvents);
    if (page.length === 0 && this.cached.events !== 0) await this.resetTotalsIfEmpty();
    return page;
  }

  /** Whole chunks after `afterKey`, until at least `limit` events (or the end). */
  async readPage(afterKey: number | undefined, limit: number): Promise<StoredEntry[]> {
    const db = await this.connection();
    const tx = db.transaction([EVENTS_STORE, META_STORE], 'readonly');
    void quiet(tx.done);
    const totals = quiet(tx.objectStore(META_STORE).get(TOTALS_KEY) as Promise<BufferTotals>);
    const range = afterKey === undefined ? null : IDBKeyRange.lowerBound(afterKey, true);
    const out: StoredEntry[] = [];
    let cursor = await quiet(tx.objectStore(EVENTS_STORE).openCursor(range));
    while (cursor) {
      out.push(...entriesOf(cursor.key as number, cursor.value as ChunkRecord));
      if (out.length >= limit) break;
      cursor = await quiet(cursor.continue());
    }
    this.cached = (await totals) ?? ZERO;
    return out;
  }

  async remove(entries: readonly StoredEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const byKey = new Map<number, Set<string>>();
    for (const { key, event } of entries) {
      const ids = byKey.get(key) ?? new Set<string>();
      byKey.set(key, ids.add(event.id));
    }
    const db = await this.connection();
    const tx = db.transaction([EVENTS_STORE, META_STORE], 'readwrite', WRITE_OPTIONS);
    void quiet(tx.done);
    const store = tx.objectStore(EVENTS_STORE);
    const totalsP = quiet(tx.objectStore(META_STORE).get(TOTALS_KEY));
    const keys = [...byKey.keys()];
    // Another tab may have evicted some meanwhile: only what is still there is subtracted.
    const records = await Promise.all(keys.map((k) => quiet(store.get(k))));
    let events = 0;
    let bytes = 0;
    keys.forEach((key, i) => {
      const r = records[i] as ChunkRecord | undefined;
      if (!r) return;
      const ids = byKey.get(key)!;
      const rest = chunkWithout(r, (id) => ids.has(id));
      events += r.e.length - (rest?.e.length ?? 0);
      bytes += r.b - (rest?.b ?? 0);
      if (rest) void quiet(store.put(rest, key));
      else void quiet(store.delete(key));
    });
    const prev = ((await totalsP) as BufferTotals | undefined) ?? ZERO;
    const next = {
      events: Math.max(0, prev.events - events),
      bytes: Math.max(0, prev.bytes - bytes),
    };
    void quiet(tx.objectStore(META_STORE).put(next, TOTALS_KEY));
    commitNow(tx);
    await tx.done;
    this.cached = next;
  }

  async clear(): Promise<void> {
    const db = await this.connection();
    const tx = db.transaction([EVENTS_STORE, META_STORE], 'readwrite', WRITE_OPTIONS);
    void quiet(tx.done);
    void quiet(tx.objectStore(EVENTS_STORE).clear());
    void quiet(tx.objectStore(META_STORE).put(ZERO, TOTALS_KEY));
    await tx.done;
    this.cached = ZERO;
  }

  totals(): BufferTotals {
    return this.cached;
  }

  close(): void {
    this.closed = true;
    this.disconnect();
  }

  private watch(opening: Promise<Db>, db: Db): void {
    const raw = unwrap(db);
    const drop = (reason: 'close' | 'versionchange') => {
      if (this.db === opening) this.db = undefined;
      raw.close();
      this.options.onDisconnect?.(reason);
    };
    // Safari closes connections of background tabs; Chromium when storage is cleared.
    raw.addEventListener('close', () => drop('close'));
    // Another tab wants to upgrade or delete: step aside, reopen at the new version on next use.
    raw.addEventListener('versionchange', () => drop('versionchange'));
  }

  private async write(
    input: readonly BufferEntry[],
    now: number,
    skipStored: boolean,
  ): Promise<AppendResult & { added: number }> {
    const db = await this.connection();
    const tx = db.transaction([EVENTS_STORE, META_STORE], 'readwrite', WRITE_OPTIONS);
    void quiet(tx.done);
    try {
      const store = tx.objectStore(EVENTS_STORE);
      const meta = tx.objectStore(META_STORE);
      const totalsP = quiet(meta.get(TOTALS_KEY) as Promise<BufferTotals | undefined>);
      let entries = input;
      if (skipStored) {
        const index = store.index(ID_INDEX);
        const found = await Promise.all(input.map((e) => quiet(index.getKey(e.event.id))));
        entries = input.filter((_, i) => found[i] === undefined);
      }
      let bytes = 0;
      for (const chunk of toChunks(entries, this.options.chunkEvents, this.options.chunkBytes)) {
        void quiet(store.add(chunk));
        bytes += chunk.b;
      }
      const prev = (await totalsP) ?? ZERO;
      const checkExpiry = now >= this.nextExpiryCheck;
      if (checkExpiry) this.nextExpiryCheck = now + EXPIRY_CHECK_INTERVAL_MS;
      const totals = { events: prev.events + entries.length, bytes: prev.bytes + bytes };
      const result = await trimChunks(tx.objectStore(EVENTS_STORE), totals, {
        ...this.options.bounds,
        now,
        checkExpiry,
      });
      void quiet(meta.put(result.totals, TOTALS_KEY));
      commitNow(tx);
      await tx.done;
      this.cached = result.totals;
      return { evicted: result.evicted, expired: result.expired, added: entries.length };
    } catch (error) {
      try {
        tx.abort(); // a request threw synchronously: nothing of this batch may half-commit
      } catch {
        // already finished or aborted
      }
      throw error;
    }
  }

  /** Heals the totals record if it drifted (it is only ever rewritten inside transactions). */
  private async resetTotalsIfEmpty(): Promise<void> {
    const db = await this.connection();
    const tx = db.transaction([EVENTS_STORE, META_STORE], 'readwrite', WRITE_OPTIONS);
    void quiet(tx.done);
    const count = await quiet(tx.objectStore(EVENTS_STORE).count());
    if (count === 0) void quiet(tx.objectStore(META_STORE).put(ZERO, TOTALS_KEY));
    await tx.done;
    if (count === 0) this.cached = ZERO;
  }
}
