import { unwrap, type IDBPDatabase, type IDBPObjectStore } from 'idb';
import type { LogEvent } from '../../core/event.js';
import type {
  AppendResult,
  BufferBounds,
  BufferEntry,
  BufferStore,
  BufferTotals,
  StoredEntry,
} from './bufferStore.js';
import {
  EVENTS_STORE,
  ID_INDEX,
  META_STORE,
  openBufferDatabase,
  type OpenTimers,
} from './openDatabase.js';

/** The record stored per event: time (for expiry), encoded bytes (for the bounds), the event. */
interface StoredRecord {
  readonly t: number;
  readonly b: number;
  readonly e: LogEvent;
}

const TOTALS_KEY = 'totals';
const ZERO: BufferTotals = { events: 0, bytes: 0 };
// Checking the oldest record for expiry costs a cursor step; once a second is plenty for an age in days.
const EXPIRY_CHECK_INTERVAL_MS = 1000;
// Relaxed durability: committed data survives a crash of the page or the browser (it is handed to the
// OS), only a power loss can lose it; strict durability would fsync every batch.
const WRITE_OPTIONS = { durability: 'relaxed' } as const;

const noop = () => {};
// idb returns a promise per request; one that rejects with the transaction must not go unhandled.
const quiet = <T>(p: Promise<T>): Promise<T> => {
  p.catch(noop);
  return p;
};

/** Options of {@link IdbStore}. */
export interface IdbStoreOptions {
  readonly factory: IDBFactory;
  readonly database: string;
  readonly bounds: BufferBounds;
  readonly openTimeoutMs: number;
  readonly timers: OpenTimers;
  /** Called when the browser closed the connection or another tab asked for a version change. */
  readonly onDisconnect?: (reason: 'close' | 'versionchange') => void;
}

/**
 * The IndexedDB tier: one object store of events with auto-increment keys and a totals record
 * updated in the same transactions, so bounds hold across all tabs sharing the database. A
 * connection that the browser closes or another tab's upgrade asks for is dropped and reopened on
 * next use.
 */
export class IdbStore implements BufferStore {
  readonly tier = 'indexeddb' as const;
  private db: Promise<IDBPDatabase> | undefined;
  private cached: BufferTotals = ZERO;
  private nextExpiryCheck = 0;
  private closed = false;

  constructor(private readonly options: IdbStoreOptions) {}

  /** Opens the database (once); rejects with an `IdbOpenError` when it cannot be opened. */
  connection(): Promise<IDBPDatabase> {
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
    const page = await this.readPage(undefined, maxEvents);
    if (page.length === 0 && this.cached.events !== 0) await this.resetTotalsIfEmpty();
    return page;
  }

  async readPage(afterKey: number | undefined, limit: number): Promise<StoredEntry[]> {
    const db = await this.connection();
    const tx = db.transaction([EVENTS_STORE, META_STORE], 'readonly');
    void quiet(tx.done);
    const range = afterKey === undefined ? null : IDBKeyRange.lowerBound(afterKey, true);
    const store = tx.objectStore(EVENTS_STORE);
    const [records, keys, totals] = await Promise.all([
      quiet(store.getAll(range, limit) as Promise<StoredRecord[]>),
      quiet(store.getAllKeys(range, limit) as Promise<number[]>),
      quiet(tx.objectStore(META_STORE).get(TOTALS_KEY) as Promise<BufferTotals | undefined>),
    ]);
    this.cached = totals ?? ZERO;
    return records.map((r, i) => ({ key: keys[i], event: r.e, bytes: r.b }));
  }

  async remove(entries: readonly StoredEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const bytesOf = new Map(entries.map((e) => [e.key, e.bytes]));
    let min = Infinity;
    let max = -Infinity;
    for (const { key } of entries) {
      if (key < min) min = key;
      if (key > max) max = key;
    }
    const db = await this.connection();
    const tx = db.transaction([EVENTS_STORE, META_STORE], 'readwrite', WRITE_OPTIONS);
    void quiet(tx.done);
    const store = tx.objectStore(EVENTS_STORE);
    const range = IDBKeyRange.bound(min, max);
    const totalsP = quiet(tx.objectStore(META_STORE).get(TOTALS_KEY));
    // Another tab may have evicted some of them meanwhile: only what is still there is subtracted.
    const present = (await quiet(store.getAllKeys(range))) as number[];
    let events = 0;
    let bytes = 0;
    for (const key of present) {
      const b = bytesOf.get(key);
      if (b === undefined) continue;
      events++;
      bytes += b;
    }
    // Keys only grow, so a read prefix is one contiguous range unless the caller picked some out.
    if (events === present.length) void quiet(store.delete(range));
    else for (const key of present) if (bytesOf.has(key)) void quiet(store.delete(key));
    const prev = ((await totalsP) as BufferTotals | undefined) ?? ZERO;
    const next = {
      events: Math.max(0, prev.events - events),
      bytes: Math.max(0, prev.bytes - bytes),
    };
    void quiet(tx.objectStore(META_STORE).put(next, TOTALS_KEY));
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

  private watch(opening: Promise<IDBPDatabase>, db: IDBPDatabase): void {
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
      for (const { event, bytes: b } of entries) {
        const record: StoredRecord = { t: event.time, b, e: event };
        void quiet(store.add(record));
        bytes += b;
      }
      const prev = (await totalsP) ?? ZERO;
      const result = await this.trim(store, prev.events + entries.length, prev.bytes + bytes, now);
      void quiet(meta.put(result.totals, TOTALS_KEY));
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

  /** Deletes oldest records while over the bounds or expired; returns the new totals. */
  private async trim(
    store: IDBPObjectStore<unknown, string[], typeof EVENTS_STORE, 'readwrite'>,
    events: number,
    bytes: number,
    now: number,
  ): Promise<AppendResult & { totals: BufferTotals }> {
    const { maxEvents, maxBytes, maxAgeMs } = this.options.bounds;
    let evicted = 0;
    let expired = 0;
    const checkExpiry = now >= this.nextExpiryCheck;
    if (checkExpiry) this.nextExpiryCheck = now + EXPIRY_CHECK_INTERVAL_MS;
    if (events > maxEvents || bytes > maxBytes || checkExpiry) {
      const cutoff = now - maxAgeMs;
      let cursor = await quiet(store.openCursor());
      while (cursor) {
        const record = cursor.value as StoredRecord;
        const over = events > maxEvents || bytes > maxBytes;
        if (!over && record.t >= cutoff) break;
        if (over) evicted++;
        else expired++;
        events--;
        bytes -= record.b;
        void quiet(cursor.delete());
        cursor = await quiet(cursor.continue());
      }
    }
    return { evicted, expired, totals: { events: Math.max(0, events), bytes: Math.max(0, bytes) } };
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
