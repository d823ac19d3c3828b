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
/** The key prefix of the hand-offs whose fate is unknown (see `_addHandedOff`). */
const handedPrefix = (database: string) => `mvx-logger:handed:${encodeURIComponent(database)}:`;

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
  const pageId = Math.random().toString(36).slice(2);
  const ownKey = ackPrefix(database) + pageId;
  const ownHandedKey = handedPrefix(database) + pageId;
  let ids: string[] = []; // oldest first
  let recorded = new Set<string>();
  const recent = new Set<string>(); // in memory only, oldest first
  let handedOff = new Set<string>(); // handed off at an exit, fate unknown (see `_addHandedOff`)

  const write = (key: string, values: Iterable<string>) => {
    const list = [...values];
    try {
      if (list.length) storage?.setItem(key, JSON.stringify(list));
      else storage?.removeItem(key);
    } catch {
      // full or disabled: the record in memory still covers this page
    }
  };
  const save = () => {
    if (ids.length > ACK_RECORD_MAX_IDS) {
      ids = ids.slice(-ACK_RECORD_MAX_IDS);
      recorded = new Set(ids);
    }
    write(ownKey, ids);
  };
  const saveHandedOff = () => {
    if (handedOff.size > ACK_RECORD_MAX_IDS)
      handedOff = new Set([...handedOff].slice(-ACK_RECORD_MAX_IDS));
    write(ownHandedKey, handedOff);
  };
  const otherKeys = (prefix = ackPrefix(database)): string[] => {
    const keys: string[] = [];
    try {
      for (let i = storage?.length ?? 0; i--;) {
        const key = storage!.key(i);
        if (key?.startsWith(prefix) && key != ownKey && key != ownHandedKey) keys.push(key);
      }
    } catch {
      // disabled: nothing recorded
    }
    return keys;
  };
  const removeKeys = (keys: string[]) => {
    for (const key of keys) {
      try {
        storage!.removeItem(key);
      } catch {
        // taken over again by the next holder: harmless
      }
    }
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
    for (const id of acknowledged) {
      recent.add(id);
      if (recent.size > ACK_MEMORY_MAX_IDS) recent.delete(recent.values().next().value!);
      if (recorded.has(id)) continue;
      recorded.add(id);
      ids.push(id);
    }
    save();
  };

  return {
    /** Records these ids as acknowledged (synchronously). */
    _add: add,
    /**
     * Records ids handed to a request that outlives the page while no upload of this database has
     * been answered yet, so its fate is a guess (synchronously). The next drainer holds these
     * events back and lets its own first answer decide (see `_settleHandedOff`).
     */
    _addHandedOff(handed: readonly string[]) {
      for (const id of handed) handedOff.add(id);
      saveHandedOff();
    },
    /** Takes ids back (a hand-off that turned out to fail while the page lived on). */
    _remove(taken: readonly string[]) {
      const gone = new Set(taken);
      for (const id of taken) {
        recent.delete(id);
        handedOff.delete(id);
      }
      ids = ids.filter((id) => !gone.has(id));
      recorded = new Set(ids);
      save();
      saveHandedOff();
    },
    /** Whether this record (or this page's memory of recent acknowledgements) holds the id. */
    _has: (id: string) => recorded.has(id) || recent.has(id),
    /** Whether the id was handed off with its fate unknown and is not decided yet. */
    _isHandedOff: (id: string) => handedOff.has(id),
    /** How many handed-off ids wait for a decision. */
    _handedOffCount: () => handedOff.size,
    /**
     * Decides the hand-offs whose fate was unknown, by how the receiver answered this drainer:
     * accepted, they are recorded as acknowledged (deleted unsent); refused or unreachable, they
     * are forgotten (sent as usual: the receiver was likely refusing them too).
     */
    _settleHandedOff(accepted: boolean) {
      if (!handedOff.size) return;
      if (accepted) add([...handedOff]);
      handedOff.clear();
      saveHandedOff();
    },
    /** Takes every other page's recorded ids into this page's record, then removes their keys. */
    _takeOver() {
      const keys = otherKeys();
      if (keys.length) {
        add(keys.flatMap(readIds));
        removeKeys(keys);
      }
      const handedKeys = otherKeys(handedPrefix(database));
      if (handedKeys.length) {
        for (const id of handedKeys.flatMap(readIds)) handedOff.add(id);
        saveHandedOff();
        removeKeys(handedKeys);
      }
    },
    /** Every page's recorded ids (for the spill replay). */
    _all: (): Set<string> => new Set([...ids, ...otherKeys().flatMap(readIds)]),
  };
}
