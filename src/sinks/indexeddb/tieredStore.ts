import type {
  AppendResult,
  BufferBounds,
  BufferEntry,
  BufferStore,
  StorageTier,
  StoredEntry,
} from './bufferStore.js';
import { MemoryStore } from './memoryStore.js';
import { IdbOpenError, type OpenTimers } from './openDatabase.js';
import { IdbStore } from './store.js';

/** Options of {@link TieredStore}. */
export interface TieredStoreOptions {
  /** The IndexedDB factory, or `null` when there is none (Node, some private modes and workers). */
  readonly factory: IDBFactory | null;
  readonly database: string;
  readonly bounds: BufferBounds;
  readonly chunkEvents: number;
  readonly chunkBytes: number;
  readonly openTimeoutMs: number;
  readonly timers: OpenTimers;
  /** Diagnostics: each kind is reported once by the channel behind it. */
  readonly report: (kind: string, message: string, error?: unknown) => void;
}

/** Entries read for draining, with the store they came from (deletes must go back to it). */
export interface ReadResult {
  readonly source: BufferStore;
  readonly entries: StoredEntry[];
}

const errorName = (error: unknown): string =>
  typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : '';

// The connection went away under the operation (closed by the browser, or by a version change):
// worth one retry on a fresh connection.
const isDisconnect = (error: unknown): boolean =>
  errorName(error) === 'InvalidStateError' || errorName(error) === 'AbortError';

/**
 * The buffer's storage with its fallback: IndexedDB while it works, then this page's memory. A
 * dropped connection is reopened once per failing operation; any other failure (missing IndexedDB,
 * open failing, blocked or timing out, quota exceeded, a broken backing store) switches this sink to
 * the memory tier for the rest of the page's life and is reported once. Nothing here rejects.
 */
export class TieredStore {
  readonly memory: MemoryStore;
  private readonly idb: IdbStore | undefined;
  private current: BufferStore;
  private idbOpened = false;

  constructor(private readonly options: TieredStoreOptions) {
    this.memory = new MemoryStore(options.bounds);
    this.idb = options.factory
      ? new IdbStore({
          factory: options.factory,
          database: options.database,
          bounds: options.bounds,
          chunkEvents: options.chunkEvents,
          chunkBytes: options.chunkBytes,
          openTimeoutMs: options.openTimeoutMs,
          timers: options.timers,
          onDisconnect: (reason) =>
            options.report(
              'indexeddb-reconnect',
              reason === 'close'
                ? 'the browser closed the IndexedDB connection; reopening on next use'
                : 'another tab changed the database version; reopening on next use',
            ),
        })
      : undefined;
    this.current = this.idb ?? this.memory;
  }

  /** Which tier new events go to. */
  get tier(): StorageTier {
    return this.current.tier;
  }

  /** Opens the database now (instead of on first use); falls back when that fails. */
  async open(): Promise<void> {
    if (!this.idb) {
      this.options.report(
        'indexeddb-unavailable',
        'IndexedDB is not available here; buffering in memory (events do not survive the page)',
      );
      return;
    }
    if (this.current !== this.idb) return;
    try {
      await this.idb.connection();
      this.idbOpened = true;
    } catch (error) {
      this.fallBack(error);
    }
  }

  append(entries: readonly BufferEntry[], now: number): Promise<AppendResult> {
    return this.withFallback((s) => s.append(entries, now));
  }

  appendMissing(
    entries: readonly BufferEntry[],
    now: number,
  ): Promise<AppendResult & { added: number }> {
    return this.withFallback((s) => s.appendMissing(entries, now));
  }

  /** The oldest entries of the current tier; empty (never a rejection) when reading fails. */
  async readOldest(maxEvents: number): Promise<ReadResult> {
    const source = this.current;
    try {
      return { source, entries: await this.retrying(source, (s) => s.readOldest(maxEvents)) };
    } catch (error) {
      this.fallBack(error);
      return { source: this.memory, entries: await this.memory.readOldest(maxEvents) };
    }
  }

  /**
   * Deletes drained entries from the store they were read from. Returns false when that failed (the
   * entries stay stored and will be sent again: the one source of duplicates).
   */
  async remove(source: BufferStore, entries: readonly StoredEntry[]): Promise<boolean> {
    try {
      await this.retrying(source, (s) => s.remove(entries));
      return true;
    } catch (error) {
      this.options.report('indexeddb-delete-failed', 'deleting drained events failed', error);
      if (source === this.current) this.fallBack(error);
      return false;
    }
  }

  /** Every store that may hold events: IndexedDB (if it ever opened, even after a fallback), memory. */
  stores(): BufferStore[] {
    return this.idb && (this.idbOpened || this.current === this.idb)
      ? [this.idb, this.memory]
      : [this.memory];
  }

  /** Pages through a store for export; empty when reading fails. */
  async readPage(source: BufferStore, afterKey: number | undefined, limit: number) {
    try {
      return await this.retrying(source, (s) => s.readPage(afterKey, limit));
    } catch (error) {
      this.options.report('indexeddb-read-failed', 'reading stored events failed', error);
      return [];
    }
  }

  /** Empties every tier. */
  async clear(): Promise<void> {
    for (const s of this.stores()) {
      try {
        await this.retrying(s, (x) => x.clear());
      } catch (error) {
        this.options.report('indexeddb-clear-failed', 'clearing stored events failed', error);
      }
    }
  }

  /** Stored count and bytes over the tiers, as of the last operation of this page. */
  totals(): { events: number; bytes: number } {
    let events = 0;
    let bytes = 0;
    for (const s of this.stores()) {
      const t = s.totals();
      events += t.events;
      bytes += t.bytes;
    }
    return { events, bytes };
  }

  close(): void {
    this.idb?.close();
  }

  private async withFallback<T>(op: (s: BufferStore) => Promise<T>): Promise<T> {
    const source = this.current;
    try {
      return await this.retrying(source, op);
    } catch (error) {
      this.fallBack(error);
      return op(this.memory);
    }
  }

  /** Runs `op`; on a dropped IndexedDB connection, reconnects and runs it once more. */
  private async retrying<T>(source: BufferStore, op: (s: BufferStore) => Promise<T>): Promise<T> {
    try {
      return await op(source);
    } catch (error) {
      if (source !== this.idb || !isDisconnect(error)) throw error;
      this.idb.disconnect();
      return op(source);
    }
  }

  private fallBack(error: unknown): void {
    if (this.current === this.memory) return;
    this.current = this.memory;
    const name = errorName(error);
    if (error instanceof IdbOpenError) {
      this.options.report(
        `indexeddb-open-${error.failure}`,
        `${error.message}; buffering in memory for this page`,
        error.cause ?? error,
      );
    } else if (name === 'QuotaExceededError') {
      this.options.report(
        'indexeddb-quota',
        'IndexedDB quota exceeded; buffering in memory for this page',
        error,
      );
    } else {
      this.options.report(
        'indexeddb-failed',
        'IndexedDB failed; buffering in memory for this page',
        error,
      );
    }
  }
}
