import { decodeSpill, rowEncoder, type SpillRow } from './spillFormat.js';

export type { SpillRow } from './spillFormat.js';

/** What one spill write did: rows written, and the oldest rows dropped for lack of room. */
export interface SpillResult {
  _written: number;
  _dropped: number;
  /** The key written, if any. */
  _key?: string;
}

/** One spill key this page wrote, with the bytes it charges. */
interface OwnSpillKey {
  _key: string;
  _bytes: number;
}

/** The spill key prefix of one database (encoded so `a` never matches the keys of `a:b`). */
export const spillPrefix = (database: string) =>
  `mvx-logger:spill:${encodeURIComponent(database)}:`;

/** The exit spill of one page: see {@link createSpill}. */
export type Spill = ReturnType<typeof createSpill>;

/**
 * The synchronous exit store: events that could be neither stored nor beaconed before the page went
 * away go to `localStorage`, under a new key per write (`<prefix><pageId>:<n>`), so no two pages
 * ever read-modify-write the same key. Bounded per page by `maxBytes` (2 bytes per character, as
 * browsers charge it). Every access is guarded: storage can be missing, disabled (it throws in some
 * privacy modes) or full.
 * @param storage - `localStorage` or a fake; `null` disables spilling
 */
export function createSpill(storage: Storage | null, database: string, maxBytes: number) {
  const prefix = spillPrefix(database) + Math.random().toString(36).slice(2);
  let own: OwnSpillKey[] = [];
  let writeCount = 0;
  return {
    /** Whether this page's spill waits to be moved back into the buffer. */
    _pending: () => own.length > 0,

    /**
     * Writes `rows` (oldest first) under a new key, keeping the newest that fit. Synchronous.
     * The dropped rows are the oldest.
     */
    _write(rows: SpillRow[]): SpillResult {
      const encoder = rowEncoder(rows.at(-1)?.event);
      let budget = own.reduce((left, key) => left - key._bytes, maxBytes);
      budget -= encoder._overhead * 2;
      const texts: string[] = [];
      for (let i = rows.length; i--;) {
        const text = encoder._encode(rows[i]);
        if (text === undefined) continue; // events are JSON-safe by construction; not a foreign one
        if ((budget -= (text.length + 1) * 2) < 0) break;
        texts.push(text); // newest first (reversed below: no quadratic unshift)
      }
      texts.reverse();
      // On a quota error (other data fills localStorage), keep halving: the newest that fit survive.
      for (let keep = texts.length; keep > 0; keep >>= 1) {
        const key = `${prefix}:${1e9 + writeCount++}`; // fixed width: sorts in write order
        const value = encoder._value(texts.slice(-keep));
        try {
          storage!.setItem(key, value);
          own.push({ _key: key, _bytes: (key.length + value.length) * 2 });
          return { _written: keep, _dropped: rows.length - keep, _key: key };
        } catch {
          // full or disabled: next attempt, or give up
        }
      }
      return { _written: 0, _dropped: rows.length };
    },

    /** Keys of every page's spill of this database (`all`), or of this page's own. */
    _keys(all?: boolean): string[] {
      if (!all) return own.map((ownKey) => ownKey._key);
      const keys: string[] = [];
      try {
        for (let i = storage?.length ?? 0; i--;) {
          const key = storage!.key(i);
          if (key?.startsWith(spillPrefix(database))) keys.push(key);
        }
      } catch {
        // disabled: nothing to replay
      }
      return keys.sort(); // per page in write order
    },

    /** The valid rows under `keys` (another page may have taken some; corrupt values hold none). */
    _read(keys: string[]): SpillRow[] {
      const rows: SpillRow[] = [];
      for (const key of keys) {
        try {
          rows.push(...decodeSpill(storage!.getItem(key)));
        } catch {
          // unavailable
        }
      }
      return rows;
    },

    /** Deletes spilled keys once their rows are safely stored. */
    _remove(keys: string[]) {
      for (const key of keys) {
        try {
          storage?.removeItem(key);
        } catch {
          // unavailable now: replayed (skipping stored ids) next time
        }
      }
      own = own.filter((ownKey) => !keys.includes(ownKey._key));
    },
  };
}
