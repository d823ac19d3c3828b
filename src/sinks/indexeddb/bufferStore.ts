/**
 * Which storage holds the buffer: the shared IndexedDB database, or this page's memory.
 * @group Sinks
 */
export type StorageTier = 'indexeddb' | 'memory';
