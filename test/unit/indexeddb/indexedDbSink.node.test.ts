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
    const r1 = await s.append(
      [1, 2, 3, 4, 5].map((n) => ({ e: event(n, 1000), b: 10 })),
      1000,
    );
    expect(r1).toEqual([2, 0, 5]);
    const r2 = await s.append([{ e: event(6, 1200), b: 10 }], 1200);
    // one over the count bound (evicted), then the two left that are too old (expired)
    expect(r2).toEqual([1, 2, 1]);
    expect((await s.read(false, 0, 10)).map((x) => x.e.message)).toEqual(['e6']);
    expect(s.totals()).toEqual([1, 10]);
  });

  it('appending with skip leaves out ids already stored', async () => {
    const s = store(10, Infinity);
    const a = { e: event(1), b: 1 };
    await s.append([a], 0);
    const r = await s.append([a, { e: event(2), b: 1 }], 0, true);
    expect(r[2]).toBe(1);
    expect(s.totals()[0]).toBe(2);
  });

  it('deletes read entries by id, also out of a partly sent chunk', async () => {
    const s = store(10, Infinity);
    await s.append(
      [1, 2, 3].map((n) => ({ e: event(n), b: 5 })),
      0,
    );
    const [first] = await s.read(false, 0, 1);
    expect(await s.del(false, [first])).toBe(true);
    expect((await s.read(false, 0, 10)).map((x) => x.e.message)).toEqual(['e2', 'e3']);
    expect(s.totals()).toEqual([2, 10]);
  });
});

describe('Spill', () => {
  const rows = (events: LogEvent[], inFlight = 0): SpillRow[] =>
    events.map((e) => [5, inFlight, e]);

  it('writes under a fresh key per write and reads back in order', () => {
    const storage = fakeStorage();
    const spill = createSpill(storage, 'db:1', 1_000_000);
    spill.write(rows([event(1), event(2)]));
    spill.write(rows([event(3)], 1));
    for (let i = 0; i < 10; i++) spill.write(rows([event(10 + i)]));
    const other = createSpill(storage, 'db:1', 1000);
    const keys = other.keys(true);
    expect(keys).toEqual(spill.keys());
    expect(keys[0]).toMatch(/^mvx-logger:spill:db%3A1:[^:]+:\d+$/);
    // write order, also past the tenth write
    expect(other.read(keys).map((r) => r[2].message)).toEqual([
      'e1',
      'e2',
      'e3',
      ...Array.from({ length: 10 }, (_, i) => `e${10 + i}`),
    ]);
    expect(other.read(keys.slice(0, 2)).map((r) => [r[2].message, r[1]])).toEqual([
      ['e1', 0],
      ['e2', 0],
      ['e3', 1],
    ]);
    // another database's spill is not read
    expect(createSpill(storage, 'db', 1000).keys(true)).toEqual([]);
    other.remove(keys);
    expect(storage.length).toBe(0);
  });

  it('keeps the newest within its bound and survives a full or throwing storage', () => {
    const records = rows(Array.from({ length: 100 }, (_, i) => event(i)));
    const bounded = createSpill(fakeStorage(), 'db', 2000);
    const [written, dropped] = bounded.write(records);
    expect(written + dropped).toBe(100);
    expect(written).toBeGreaterThan(0);
    expect(bounded.read(bounded.keys()).at(-1)?.[2].message).toBe('e99');
    // localStorage nearly full: the newer half is tried before giving up
    const full = createSpill(fakeStorage(3000), 'db', 1_000_000);
    const f = full.write(records);
    expect(f[0]).toBeGreaterThan(0);
    expect(f[0] + f[1]).toBe(100);
    const broken = {
      setItem() {
        throw new Error('denied');
      },
    } as unknown as Storage;
    expect(createSpill(broken, 'db', 1000).write(records)).toEqual([0, 100]);
    expect(createSpill(null, 'db', 1000).write(records)).toEqual([0, 100]);
  });

  it('ignores corrupt values', () => {
    const storage = fakeStorage();
    storage.setItem('mvx-logger:spill:db:x:0', '{not json');
    storage.setItem('mvx-logger:spill:db:x:1', '[[1,0,{"id":5}]]');
    const spill = createSpill(storage, 'db', 1000);
    expect(spill.read(spill.keys(true))).toEqual([]);
  });
});

describe('chunks', () => {
  it('split by count and bytes, and drop events without losing the rest', () => {
    const entries = Array.from({ length: 7 }, (_, i) => ({ e: event(i, 1000 + i), b: 10 }));
    expect(toChunks(entries, 3, 1000).map((c) => c.e.length)).toEqual([3, 3, 1]);
    expect(toChunks(entries, 100, 25).map((c) => c.e.length)).toEqual([2, 2, 2, 1]);
    const big = [{ e: event(9), b: 500 }];
    expect(toChunks(big, 100, 25).map((c) => c.e.length)).toEqual([1]); // alone even if larger
    const [c] = toChunks(entries, 100, 1000);
    expect(c).toMatchObject({ t: 1006, b: 70 });
    const rest = chunkOf(entriesOf(c).slice(4))!;
    expect(rest.e.map((e) => e.message)).toEqual(['e4', 'e5', 'e6']);
    expect(rest).toMatchObject({ t: 1006, b: 30, ids: rest.e.map((e) => e.id) });
    expect(chunkOf([])).toBeNull();
    expect(entriesOf(rest, 7).map((e) => e.k)).toEqual([7, 7, 7]);
  });
});
