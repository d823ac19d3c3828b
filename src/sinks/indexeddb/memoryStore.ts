import type {
  AppendResult,
  BufferBounds,
  BufferEntry,
  BufferStore,
  BufferTotals,
  StoredEntry,
} from './bufferStore.js';

/**
 * The in-memory tier: the same contract as the IndexedDB store, for when IndexedDB is missing or
 * broken. Bounded like it; lives as long as the page. Its methods never reject.
 */
export class MemoryStore implements BufferStore {
  readonly tier = 'memory' as const;
  private entries: StoredEntry[] = [];
  private head = 0; // entries before `head` are removed; compacted lazily so eviction is O(1)
  private nextKey = 1;
  private bytes = 0;
  private readonly ids = new Set<string>();

  constructor(private readonly bounds: BufferBounds) {}

  append(entries: readonly BufferEntry[], now: number): Promise<AppendResult> {
    return Promise.resolve(this.appendNow(entries, now));
  }

  appendMissing(
    entries: readonly BufferEntry[],
    now: number,
  ): Promise<AppendResult & { added: number }> {
    const missing = entries.filter((e) => !this.ids.has(e.event.id));
    return Promise.resolve({ ...this.appendNow(missing, now), added: missing.length });
  }

  /** Synchronous append, used by the exit path where there is no time for a promise. */
  appendNow(entries: readonly BufferEntry[], now: number): AppendResult {
    for (const { event, bytes } of entries) {
      this.entries.push({ key: this.nextKey++, event, bytes });
      this.ids.add(event.id);
      this.bytes += bytes;
    }
    return this.trim(now);
  }

  readOldest(maxEvents: number): Promise<StoredEntry[]> {
    return Promise.resolve(this.entries.slice(this.head, this.head + maxEvents));
  }

  readPage(afterKey: number | undefined, limit: number): Promise<StoredEntry[]> {
    let i = this.head;
    if (afterKey !== undefined)
      while (i < this.entries.length && this.entries[i].key <= afterKey) i++;
    return Promise.resolve(this.entries.slice(i, i + limit));
  }

  remove(entries: readonly StoredEntry[]): Promise<void> {
    this.removeNow(entries);
    return Promise.resolve();
  }

  /** Every entry, oldest first. Synchronous, for the exit path. */
  peek(): StoredEntry[] {
    return this.entries.slice(this.head);
  }

  /** Synchronous {@link remove}, for the exit path. */
  removeNow(entries: readonly StoredEntry[]): void {
    const keys = new Set(entries.map((e) => e.key));
    this.keep((e) => !keys.has(e.key));
  }

  clear(): Promise<void> {
    this.keep(() => false);
    return Promise.resolve();
  }

  totals(): BufferTotals {
    return { events: this.entries.length - this.head, bytes: this.bytes };
  }

  close(): void {}

  private keep(predicate: (e: StoredEntry) => boolean): void {
    const kept: StoredEntry[] = [];
    for (let i = this.head; i < this.entries.length; i++) {
      const e = this.entries[i];
      if (predicate(e)) kept.push(e);
      else this.forget(e);
    }
    this.entries = kept;
    this.head = 0;
  }

  private forget(e: StoredEntry): void {
    this.bytes -= e.bytes;
    this.ids.delete(e.event.id);
  }

  private trim(now: number): AppendResult {
    const { maxEvents, maxBytes, maxAgeMs } = this.bounds;
    const cutoff = now - maxAgeMs;
    let evicted = 0;
    let expired = 0;
    while (this.head < this.entries.length) {
      const e = this.entries[this.head];
      const over = this.entries.length - this.head > maxEvents || this.bytes > maxBytes;
      if (!over && e.event.time >= cutoff) break;
      if (over) evicted++;
      else expired++;
      this.forget(e);
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
    return { evicted, expired };
  }
}
