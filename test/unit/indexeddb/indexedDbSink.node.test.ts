import { describe, expect, it } from 'vitest';
import { createEventId, IndexedDbSink, LOG_SEVERITY, type LogEvent } from '../../../src/index.js';
import { resolveOptions } from '../../../src/sinks/indexeddb/indexedDbOptions.js';
import { createSpill, type SpillRow } from '../../../src/sinks/indexeddb/spill.js';
import { chunkOf, entriesOf, toChunks } from '../../../src/sinks/indexeddb/chunk.js';
import { createStore } from '../../../src/sinks/indexeddb/store.js';

const event = (n: number, time = Date.now()): LogEvent =>
  Object.freeze({
    id: createEventId(),
    namespace: 'node',
    level: 'info',
    severity: LOG_SEVERITY.info,
    message: `e${n}`,
    time,
  });

/** An in-memory Storage with a quota, for the spill. */
function fakeStorage(quotaChars = Infinity): Storage {
  const map = new Map<string, string>();
  const used = () => [...map].reduce((n, [k, v]) => n + k.length + v.length, 0);
  return {
    get length() {
      return map.size;
    },
    key: (i: number) => [...map.keys()][i] ?? null,
    getItem: (k: string) => map.get(k) ?? null,
    setItem(k: string, v: string) {
      if (used() + k.length + v.length > quotaChars) {
        throw new DOMException('full', 'QuotaExceededError');
      }
      map.set(k, v);
    },
    removeItem: (k: string) => void map.delete(k),
    clear: () => map.clear(),
  };
}

describe('IndexedDbSink in Node (no IndexedDB, no document)', () => {
  it('loads and falls back to the memory tier, reporting once', async () => {
    expect(typeof (globalThis as { indexedDB?: unknown }).indexedDB).toBe('undefined');
    const kinds: string[] = [];
    const sink = new IndexedDbSink({ onDiagnostic: (d) => void kinds.push(d.kind) });
    const events = [event(1), event(2), event(3)];
    for (const e of events) sink.log(e);
    expect(await sink.export({ format: 'array' })).toEqual(events);
    expect(sink.stats()).toMatchObject({ tier: 'memory', storedEvents: 3, delivered: 3 });
    expect(kinds).toEqual(['indexeddb-unavailable']);
    await sink.close();
  });
});

describe('memory tier (createStore without IndexedDB)', () => {
  const store = (maxEvents: number, maxAgeMs: number) =>
    createStore(
      resolveOptions({ maxEvents, maxAgeMs, maxBytes: 1000, indexedDB: null, storage: null }),
      () => {},
    );

  it('keeps the bounds oldest-first and counts evicted vs expired', async () => {
    const s = store(3, 100);
    const first = await s._append(
      [1, 2, 3, 4, 5].map((n) => ({ _event: event(n, 1000), _bytes: 10 })),
      1000,
    );
    expect(first).toEqual({ _evicted: 2, _expired: 0, _added: 5 });
    const second = await s._append([{ _event: event(6, 1200), _bytes: 10 }], 1200);
    // one over the count bound (evicted), then the two left that are too old (expired)
    expect(second).toEqual({ _evicted: 1, _expired: 2, _added: 1 });
    expect((await s._read('memory', 0, 10)).map((x) => x._event.message)).toEqual(['e6']);
    expect(s._totals()).toEqual({ _events: 1, _bytes: 10 });
  });

  it('appending with skip leaves out ids already stored', async () => {
    const s = store(10, Infinity);
    const a = { _event: event(1), _bytes: 1 };
    await s._append([a], 0);
    const counts = await s._append([a, { _event: event(2), _bytes: 1 }], 0, true);
    expect(counts._added).toBe(1);
    expect(s._totals()._events).toBe(2);
  });

  it('deletes read entries by id, also out of a partly sent chunk', async () => {
    const s = store(10, Infinity);
    await s._append(
      [1, 2, 3].map((n) => ({ _event: event(n), _bytes: 5 })),
      0,
    );
    const [first] = await s._read('memory', 0, 1);
    expect(await s._delete('memory', [first])).toBe(true);
    expect((await s._read('memory', 0, 10)).map((x) => x._event.message)).toEqual(['e2', 'e3']);
    expect(s._totals()).toEqual({ _events: 2, _bytes: 10 });
    expect(s._resident().map((x) => [x._event.message, x._chunkKey])).toEqual([
      ['e2', 1],
      ['e3', 1],
    ]);
  });
});

describe('Spill', () => {
  const rows = (events: LogEvent[], maybeStored: 0 | 1 = 0): SpillRow[] =>
    events.map((e) => ({ bytes: 5, maybeStored, event: e }));

  it('writes under a fresh key per write and reads back in order', () => {
    const storage = fakeStorage();
    const spill = createSpill(storage, 'db:1', 1_000_000);
    spill._write(rows([event(1), event(2)]));
    spill._write(rows([event(3)], 1));
    for (let i = 0; i < 10; i++) spill._write(rows([event(10 + i)]));
    const other = createSpill(storage, 'db:1', 1000);
    const keys = other._keys(true);
    expect(keys).toEqual(spill._keys());
    expect(keys[0]).toMatch(/^mvx-logger:spill:db%3A1:[^:]+:\d+$/);
    // write order, also past the tenth write
    expect(other._read(keys).map((r) => r.event.message)).toEqual([
      'e1',
      'e2',
      'e3',
      ...Array.from({ length: 10 }, (_, i) => `e${10 + i}`),
    ]);
    expect(other._read(keys.slice(0, 2)).map((r) => [r.event.message, r.maybeStored])).toEqual([
      ['e1', 0],
      ['e2', 0],
      ['e3', 1],
    ]);
    // another database's spill is not read
    expect(createSpill(storage, 'db', 1000)._keys(true)).toEqual([]);
    other._remove(keys);
    expect(storage.length).toBe(0);
  });

  it('keeps the newest within its bound and survives a full or throwing storage', () => {
    const records = rows(Array.from({ length: 100 }, (_, i) => event(i)));
    const bounded = createSpill(fakeStorage(), 'db', 2000);
    const { _written, _dropped } = bounded._write(records);
    expect(_written + _dropped).toBe(100);
    expect(_written).toBeGreaterThan(0);
    expect(bounded._read(bounded._keys()).at(-1)?.event.message).toBe('e99');
    // localStorage nearly full: the newer half is tried before giving up
    const full = createSpill(fakeStorage(3000), 'db', 1_000_000);
    const nearlyFull = full._write(records);
    expect(nearlyFull._written).toBeGreaterThan(0);
    expect(nearlyFull._written + nearlyFull._dropped).toBe(100);
    const broken = {
      setItem() {
        throw new Error('denied');
      },
    } as unknown as Storage;
    expect(createSpill(broken, 'db', 1000)._write(records)).toEqual({ _written: 0, _dropped: 100 });
    expect(createSpill(null, 'db', 1000)._write(records)).toEqual({ _written: 0, _dropped: 100 });
  });

  it('ignores corrupt values', () => {
    const storage = fakeStorage();
    storage.setItem('mvx-logger:spill:db:x:0', '{not json');
    storage.setItem('mvx-logger:spill:db:x:1', '[{"bytes":1,"maybeStored":0,"event":{"id":5}}]');
    storage.setItem('mvx-logger:spill:db:x:2', '[[1,0,{"id":"a","time":1}]]');
    const spill = createSpill(storage, 'db', 1000);
    expect(spill._read(spill._keys(true))).toEqual([]);
  });
});

describe('chunks', () => {
  it('split by count and bytes, and drop events without losing the rest', () => {
    const entries = Array.from({ length: 7 }, (_, i) => ({
      _event: event(i, 1000 + i),
      _bytes: 10,
    }));
    expect(toChunks(entries, 3, 1000).map((c) => c.events.length)).toEqual([3, 3, 1]);
    expect(toChunks(entries, 100, 25).map((c) => c.events.length)).toEqual([2, 2, 2, 1]);
    const big = [{ _event: event(9), _bytes: 500 }];
    expect(toChunks(big, 100, 25).map((c) => c.events.length)).toEqual([1]); // alone even if larger
    const [c] = toChunks(entries, 100, 1000);
    expect(c).toMatchObject({ newestTime: 1006, bytes: 70 });
    const rest = chunkOf(entriesOf(c).slice(4))!;
    expect(rest.events.map((e) => e.message)).toEqual(['e4', 'e5', 'e6']);
    expect(rest).toMatchObject({
      newestTime: 1006,
      bytes: 30,
      ids: rest.events.map((e) => e.id),
      eventBytes: [10, 10, 10],
    });
    expect(chunkOf([])).toBeNull();
    expect(entriesOf(rest, 7).map((e) => e._chunkKey)).toEqual([7, 7, 7]);
  });
});
