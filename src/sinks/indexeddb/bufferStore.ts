import type { LogEvent } from '../../core/event.js';

/** Which storage holds the buffer: the shared IndexedDB database, or this page's memory. */
export type StorageTier = 'indexeddb' | 'memory';

/** An event to append, with its encoded size. */
export interface BufferEntry {
  readonly event: LogEvent;
  readonly bytes: number;
}

/** A stored event with its key (keys increase in append order). */
export interface StoredEntry extends BufferEntry {
  readonly key: number;
}

/** Count and encoded bytes held by a store. */
export interface BufferTotals {
  readonly events: number;
  readonly bytes: number;
}

/** What an append removed to stay within the bounds. */
export interface AppendResult {
  /** Oldest events removed because `maxEvents` / `maxBytes` was exceeded. */
  readonly evicted: number;
  /** Oldest events removed because they were older than `maxAgeMs`. */
  readonly expired: number;
}

/** The bounds a store keeps on every append. */
export interface BufferBounds {
  readonly maxEvents: number;
  readonly maxBytes: number;
  readonly maxAgeMs: number;
}

/**
 * The storage contract shared by the IndexedDB store and the in-memory fallback. Every method may
 * reject (the IndexedDB one does when the browser fails it); the tiered store above decides what a
 * failure means.
 */
export interface BufferStore {
  readonly tier: StorageTier;
  /** Appends in one transaction, then evicts oldest-first to stay within the bounds. */
  append(entries: readonly BufferEntry[], now: number): Promise<AppendResult>;
  /** Adds the entries whose event id is not stored yet (replaying a spill); returns how many. */
  appendMissing(
    entries: readonly BufferEntry[],
    now: number,
  ): Promise<AppendResult & { added: number }>;
  /** The oldest `maxEvents` entries in key order. */
  readOldest(maxEvents: number): Promise<StoredEntry[]>;
  /** Deletes these entries (those still present); resolves when the deletion is committed. */
  remove(entries: readonly StoredEntry[]): Promise<void>;
  /** Entries after `afterKey` (exclusive) in key order, at most `limit` (for paged export). */
  readPage(afterKey: number | undefined, limit: number): Promise<StoredEntry[]>;
  /** Deletes everything. */
  clear(): Promise<void>;
  /** The totals as of this store's last operation (other tabs may have changed them since). */
  totals(): BufferTotals;
  close(): void;
}
