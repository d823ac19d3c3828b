/** The acknowledgement record of one drainer: see {@link createAckRecord}. */
export type AckRecord = ReturnType<typeof createAckRecord>;

/**
 * Most ids one drainer page keeps recorded (about 40 KB of `localStorage`); the oldest go first.
 * Ten default drain batches: far more than the batches whose deletion can be pending at once.
 */
export const ACK_RECORD_MAX_IDS = 1000;
/**
 * Most acknowledged ids one page also keeps in memory (about 0.7 MB): a copy of a drained event
 * stored again later (an exit write of a closed tab that committed after the next page had
 * replayed its spill, seen in Firefox) is deleted unsent while its id is here. The default
 * `maxEvents`: a whole buffer's worth.
 */
export const ACK_MEMORY_MAX_IDS = 10_000;

/** The record key prefix of one database (encoded so `a` never matches the keys of `a:b`). */
const ackPrefix = (database: string) => `mvx-logger:acked:${encodeURIComponent(database)}:`;

/**
 * Ids of drained events whose upload was acknowledged (or handed to a request that outlives the
 * page), recorded synchronously in `localStorage` before their deletion is even started, so that
 * a page dying between the acknowledgement and the commit of the delete does not make the next
 * drainer send them again. One key per drainer page (no two pages write one key); the next lock
 * holder takes every page's ids into its own record, deletes those events without sending them,
 * and removes the other keys. Also read by the spill replay, so a spilled copy of an event that
 * was drained meanwhile is not stored again. Bounded by {@link ACK_RECORD_MAX_IDS}. Where there is
 * no `localStorage` (workers) the record lives in memory only: it still covers a failed delete,
 * not the death of the worker.
 * @param storage - `localStorage`, a fake, or `null`
 */
export function createAckRecord(storage: Storage | null, database: string) {
  const ownKey = ackPrefix(database) + Math.random().toString(36).slice(2);
  let ids: string[] = []; // oldest first
  let recorded = new Set<string>();
  const recent = new Set<string>(); // in memory only, oldest first
  let unsaved = false; // ids added that no completed save holds yet (a save cut short)

  const save = () => {
    unsaved = true;
    if (ids.length > ACK_RECORD_MAX_IDS) {
      ids = ids.slice(-ACK_RECORD_MAX_IDS);
      recorded = new Set(ids);
    }
    try {
      if (ids.length) storage?.setItem(ownKey, JSON.stringify(ids));
      else storage?.removeItem(ownKey);
      unsaved = false;
    } catch {
      // full or disabled: the record in memory still covers this page
    }
  };
  const otherKeys = (): string[] => {
    const keys: string[] = [];
    try {
      for (let i = storage?.length ?? 0; i--;) {
        const key = storage!.key(i);
        if (key?.startsWith(ackPrefix(database)) && key != ownKey) keys.push(key);
      }
    } catch {
      // disabled: nothing recorded
    }
    return keys;
  };
  const readIds = (key: string): string[] => {
    try {
      const value: unknown = JSON.parse(storage!.getItem(key)!);
      return Array.isArray(value) ? value.filter((id) => typeof id == 'string') : [];
    } catch {
      return []; // missing or corrupt
    }
  };

  const add = (acknowledged: readonly string[]) => {
    const before = ids.length;
    for (const id of acknowledged) {
      recent.add(id);
      if (recent.size > ACK_MEMORY_MAX_IDS) recent.delete(recent.values().next().value!);
      if (recorded.has(id)) continue;
      recorded.add(id);
      ids.push(id);
      unsaved = true;
    }
    // (an upload answered after it was recorded as handed off adds nothing: no second write)
    if (ids.length > before) save();
  };

  return {
    /** Records these ids as acknowledged (synchronously). */
    _add: add,
    /**
     * Saves the record again if an earlier save did not complete: a Firefox close cut the drain
     * task short inside one (the page's `pagehide` listeners still ran).
     */
    _flush() {
      if (unsaved) save();
    },
    /** Takes ids back (a hand-off that turned out to fail while the page lived on). */
    _remove(taken: readonly string[]) {
      const gone = new Set(taken);
      for (const id of taken) recent.delete(id);
      ids = ids.filter((id) => !gone.has(id));
      recorded = new Set(ids);
      save();
    },
    /** Whether this record (or this page's memory of recent acknowledgements) holds the id. */
    _has: (id: string) => recorded.has(id) || recent.has(id),
    /** Takes every other page's recorded ids into this page's record, then removes their keys. */
    _takeOver() {
      const keys = otherKeys();
      if (!keys.length) return;
      add(keys.flatMap(readIds));
      for (const key of keys) {
        try {
          storage!.removeItem(key);
        } catch {
          // taken over again by the next holder: harmless
        }
      }
    },
    /** Every page's recorded ids (for the spill replay). */
    _all: (): Set<string> => new Set([...ids, ...otherKeys().flatMap(readIds)]),
  };
}
