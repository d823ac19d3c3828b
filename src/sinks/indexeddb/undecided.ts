import type { AckRecord } from './ackRecord.js';
import type { BufferedEvent } from './chunk.js';
import type { Store } from './store.js';

/**
 * How long events handed off with an unknown fate wait for another upload to decide them, when
 * nothing else is stored (a page that logs nothing more); then they are sent.
 */
const HANDED_OFF_WAIT_MS = 30_000;

/**
 * Holds back the events an earlier page handed off at its exit while their fate was unknown (see
 * `AckRecord._addHandedOff`): they wait for this drainer's first answer from the receiver
 * (`AckRecord._settleHandedOff`), so the events stored after them go first.
 */
export function createUndecidedFilter(
  acks: AckRecord,
  store: Store,
  drainBatchEvents: number,
  now: () => number,
) {
  let waitingSince: number | undefined; // since when undecided events alone held the drain back
  return {
    /**
     * `stored` (read from IndexedDB, oldest first) without the undecided events; when they are
     * all it holds, the events stored after them instead. When nothing else is stored for
     * `HANDED_OFF_WAIT_MS`, they are decided as not delivered and returned: a possible duplicate
     * rather than a possible loss.
     */
    async _without(stored: BufferedEvent[]): Promise<BufferedEvent[]> {
      if (!acks._handedOffCount()) {
        waitingSince = undefined;
        return stored;
      }
      const decided = (entries: BufferedEvent[]) =>
        entries.filter((entry) => !acks._isHandedOff(entry._event.id));
      let rest = decided(stored);
      const lastKey = stored.at(-1)?._chunkKey;
      if (!rest.length && lastKey !== undefined)
        rest = decided(await store._read('indexeddb', lastKey, drainBatchEvents)).slice(
          0,
          drainBatchEvents,
        );
      if (rest.length) {
        waitingSince = undefined;
        return rest;
      }
      waitingSince ??= now();
      if (now() - waitingSince < HANDED_OFF_WAIT_MS) return rest;
      acks._settleHandedOff(false);
      return stored;
    },
  };
}
