/** Which storage holds the buffer: the shared IndexedDB database, or this page's memory. */
export type StorageTier = 'indexeddb' | 'memory';
