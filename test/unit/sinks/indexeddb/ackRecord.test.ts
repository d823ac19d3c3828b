import { describe, expect, it } from 'vitest';
import { createAckRecord } from '../../../../src/sinks/indexeddb/ackRecord.js';

/** A `localStorage` double whose next `setItem` calls can be made to fail. */
function storageDouble() {
  const items = new Map<string, string>();
  let failures = 0;
  const storage = {
    get length() {
      return items.size;
    },
    key: (i: number) => [...items.keys()][i] ?? null,
    getItem: (key: string) => items.get(key) ?? null,
    setItem(key: string, value: string) {
      if (failures > 0) {
        failures--;
        throw new Error('cut short');
      }
      items.set(key, value);
    },
    removeItem: (key: string) => void items.delete(key),
    clear: () => items.clear(),
  } as Storage;
  return { storage, items, failNext: (n: number) => void (failures = n) };
}

describe('createAckRecord _flush', () => {
  it('saves the record again when an earlier save did not complete', () => {
    // A Firefox close cut the drain task short inside the save of a hand-off; the pagehide
    // listeners still ran, and they flush.
    const { storage, failNext } = storageDouble();
    const acks = createAckRecord(storage, 'db');
    failNext(1);
    acks._add(['a', 'b']);
    expect(createAckRecord(storage, 'db')._all()).toEqual(new Set());
    acks._flush();
    expect(createAckRecord(storage, 'db')._all()).toEqual(new Set(['a', 'b']));
  });

  it('writes nothing when every save completed', () => {
    const { storage } = storageDouble();
    const acks = createAckRecord(storage, 'db');
    acks._add(['a']);
    let writes = 0;
    const setItem = storage.setItem.bind(storage);
    storage.setItem = (key, value) => {
      writes++;
      setItem(key, value);
    };
    acks._flush();
    expect(writes).toBe(0);
  });
});
