import type { LogEvent } from '../../core/event.js';

/** One spilled event: `inFlight` marks events whose IndexedDB write had started (it may commit). */
export interface SpillRecord {
  readonly event: LogEvent;
  readonly bytes: number;
  readonly inFlight: boolean;
}

/** The spill written under one key. */
export interface SpillChunk {
  readonly key: string;
  readonly records: SpillRecord[];
}

/** What {@link Spill.write} did. */
export interface SpillWriteResult {
  readonly written: number;
  /** Records that did not fit the bound or the storage quota (oldest first). */
  readonly dropped: number;
}

/** Prefix of every spill key; the database name and a per-page id follow. */
export const SPILL_KEY_PREFIX = 'mvx-logger:spill:';
const FORMAT_VERSION = 1;
// localStorage counts UTF-16 code units; 2 bytes each is how browsers charge it against the quota.
const BYTES_PER_CHAR = 2;

/** The spill key prefix of one database (encoded so `a` never matches the keys of `a:b`). */
export function spillPrefix(database: string): string {
  return `${SPILL_KEY_PREFIX}${encodeURIComponent(database)}:`;
}

function isEvent(value: unknown): value is LogEvent {
  const e = value as Partial<LogEvent> | null;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.id === 'string' &&
    typeof e.time === 'number' &&
    typeof e.level === 'string' &&
    typeof e.message === 'string'
  );
}

function parse(key: string, text: string | null): SpillChunk {
  const records: SpillRecord[] = [];
  try {
    const body = JSON.parse(text ?? 'null') as { v?: number; r?: unknown[] } | null;
    for (const row of body?.v === FORMAT_VERSION && Array.isArray(body.r) ? body.r : []) {
      if (!Array.isArray(row) || !isEvent(row[2])) continue;
      records.push({ bytes: Number(row[0]) || 0, inFlight: row[1] === 1, event: row[2] });
    }
  } catch {
    // A corrupt value (another writer, a truncated write) holds nothing we can use.
  }
  return { key, records };
}

/**
 * The synchronous exit store: events that could not be written to IndexedDB or handed to a beacon
 * before the page went away go to `localStorage`, under a new key per write so no two pages ever
 * read-modify-write the same key. Bounded per page by `maxBytes`. Every method is guarded: storage
 * can be missing, disabled (it throws on access in some privacy modes) or full.
 */
export class Spill {
  private readonly prefix: string;
  private readonly own: { key: string; bytes: number }[] = [];
  private seq = 0;

  /**
   * @param storage - `localStorage` or a fake; `null` disables spilling
   * @param database - the buffer's database name (spills are per database)
   * @param pageId - unique per page, so pages never write the same key
   * @param maxBytes - most bytes this page keeps spilled at once (2 bytes per character)
   */
  constructor(
    private readonly storage: Storage | null,
    database: string,
    private readonly pageId: string,
    private readonly maxBytes: number,
  ) {
    this.prefix = spillPrefix(database);
  }

  /** Whether spilled data of this page is waiting to be moved back into the buffer. */
  get pending(): boolean {
    return this.own.length > 0;
  }

  /**
   * Writes `records` (oldest first) under a new key, keeping the newest that fit. Synchronous.
   */
  write(records: readonly SpillRecord[]): SpillWriteResult {
    if (records.length === 0) return { written: 0, dropped: 0 };
    if (!this.storage) return { written: 0, dropped: records.length };
    let budget = this.maxBytes - this.own.reduce((n, c) => n + c.bytes, 0);
    const rows: string[] = [];
    for (let i = records.length - 1; i >= 0; i--) {
      const r = records[i];
      let row: string;
      try {
        row = JSON.stringify([r.bytes, r.inFlight ? 1 : 0, r.event]);
      } catch {
        continue; // events are JSON-safe by construction; a foreign one that is not is skipped
      }
      const cost = (row.length + 1) * BYTES_PER_CHAR;
      if (cost > budget) break;
      budget -= cost;
      rows.push(row);
    }
    rows.reverse();
    // On a quota error (other data fills localStorage), keep halving: the newest that fit survive.
    for (let keep = rows.length; keep > 0; keep >>= 1) {
      const key = `${this.prefix}${this.pageId}:${this.seq++}`;
      const text = `{"v":${FORMAT_VERSION},"r":[${rows.slice(rows.length - keep).join(',')}]}`;
      try {
        this.storage.setItem(key, text);
        this.own.push({ key, bytes: (key.length + text.length) * BYTES_PER_CHAR });
        return { written: keep, dropped: records.length - keep };
      } catch {
        // full or disabled: next attempt, or give up
      }
    }
    return { written: 0, dropped: records.length };
  }

  /** This page's own spilled chunks that are still there (another page may have taken them). */
  readOwn(): SpillChunk[] {
    return this.read(this.own.map((c) => c.key));
  }

  /** Every spilled chunk of this database, from any page, oldest write first per page. */
  readAll(): SpillChunk[] {
    const keys: string[] = [];
    try {
      const s = this.storage;
      if (!s) return [];
      for (let i = 0; i < s.length; i++) {
        const key = s.key(i);
        if (key !== null && key.startsWith(this.prefix)) keys.push(key);
      }
    } catch {
      return [];
    }
    return this.read(keys.sort(compareKeys));
  }

  /** Deletes chunks once their records are safely stored. */
  remove(keys: readonly string[]): void {
    for (const key of keys) {
      try {
        this.storage?.removeItem(key);
      } catch {
        // storage became unavailable: the chunk is replayed (de-duplicated by id) next time
      }
      const i = this.own.findIndex((c) => c.key === key);
      if (i >= 0) this.own.splice(i, 1);
    }
  }

  private read(keys: readonly string[]): SpillChunk[] {
    const out: SpillChunk[] = [];
    for (const key of keys) {
      let text: string | null;
      try {
        text = this.storage?.getItem(key) ?? null;
      } catch {
        continue;
      }
      if (text === null) {
        this.remove([key]); // taken by another page meanwhile
        continue;
      }
      out.push(parse(key, text));
    }
    return out;
  }
}

// Keys end in `<pageId>:<seq>`: sort by page, then numerically by sequence, to replay in order.
function compareKeys(a: string, b: string): number {
  const ia = a.lastIndexOf(':');
  const ib = b.lastIndexOf(':');
  const pa = a.slice(0, ia);
  const pb = b.slice(0, ib);
  if (pa !== pb) return pa < pb ? -1 : 1;
  return Number(a.slice(ia + 1)) - Number(b.slice(ib + 1));
}
