import type { StoredChunk, StoredTotals } from './chunk.js';

/**
 * What one storage transaction may do; the IndexedDB tier and the memory tier implement it alike,
 * so the bounds, reads and deletes are written once (`storeWork.ts`).
 */
export interface StoreTransaction {
  /** Stored events and bytes; written back when the transaction ends. */
  _totals: StoredTotals;
  _add(chunk: StoredChunk): unknown;
  /** Truthy (or resolves truthy) when an event with this id is stored. */
  _has(id: string): unknown;
  /**
   * Visits the chunks after key `afterKey`, oldest first. `visit` returns the chunk to keep it,
   * another chunk to replace it, `null` to delete it, or `undefined` to stop.
   */
  _walk(
    afterKey: number,
    visit: (chunkKey: number, chunk: StoredChunk) => StoredChunk | null | undefined,
  ): Promise<void>;
}

/** Work done inside one transaction. */
export type StoreWork<T> = (transaction: StoreTransaction) => Promise<T>;

export const ignore = () => {};

/** Marks a promise nobody may await as handled (a request of an aborted transaction rejects). */
export const quiet = (promise: Promise<unknown>) => promise.catch(ignore);
