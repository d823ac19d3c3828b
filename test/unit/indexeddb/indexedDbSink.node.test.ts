import { describe, expect, it } from 'vitest';
import { createEventId, IndexedDbSink, LOG_SEVERITY, type LogEvent } from '../../../src/index.js';
import { MemoryStore } from '../../../src/sinks/indexeddb/memoryStore.js';
import { Spill } from '../../../src/sinks/indexeddb/spill.js';

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

describe('MemoryStore', () => {
  it('keeps the bounds oldest-first and counts evicted vs expired', async () => {
    const store = new MemoryStore({ maxEvents: 3, maxBytes: 1000, maxAgeMs: 100 });
    const r1 = store.appendNow(
      [1, 2, 3, 4, 5].map((n) => ({ event: event(n, 1000), bytes: 10 })),
      1000,
    );
    expect(r1).toEqual({ evicted: 2, expired: 0 });
    const r2 = store.appendNow([{ event: event(6, 1200), bytes: 10 }], 1200);
    // one over the count bound (evicted), then the two left that are too old (expired)
    expect(r2).toEqual({ evicted: 1, expired: 2 });
    expect((await store.readOldest(10)).map((e) => e.event.message)).toEqual(['e6']);
    expect(store.totals()).toEqual({ events: 1, bytes: 10 });
  });

  it('appendMissing skips ids already stored', async () => {
    const store = new MemoryStore({ maxEvents: 10, maxBytes: 1000, maxAgeMs: Infinity });
    const a = { event: event(1), bytes: 1 };
    await store.append([a], 0);
    const r = await store.appendMissing([a, { event: event(2), bytes: 1 }], 0);
    expect(r.added).toBe(1);
    expect(store.totals().events).toBe(2);
  });
});

describe('Spill', () => {
  it('writes under a fresh key per write and reads back in order', () => {
    const storage = fakeStorage();
    const spill = new Spill(storage, 'db:1', 'page', 1_000_000);
    const events = [event(1), event(2)];
    spill.write(events.map((e) => ({ event: e, bytes: 5, inFlight: false })));
    spill.write([{ event: event(3), bytes: 5, inFlight: true }]);
    const chunks = new Spill(storage, 'db:1', 'other', 1000).readAll();
    expect(chunks.map((c) => c.key)).toEqual([
      'mvx-logger:spill:db%3A1:page:0',
      'mvx-logger:spill:db%3A1:page:1',
    ]);
    expect(chunks.flatMap((c) => c.records.map((r) => [r.event.message, r.inFlight]))).toEqual([
      ['e1', false],
      ['e2', false],
      ['e3', true],
    ]);
    // another database's spill is not read
    expect(new Spill(storage, 'db', 'x', 1000).readAll()).toEqual([]);
  });

  it('keeps the newest within its bound and survives a full or throwing storage', () => {
    const records = Array.from({ length: 100 }, (_, i) => ({
      event: event(i),
      bytes: 5,
      inFlight: false,
    }));
    const bounded = new Spill(fakeStorage(), 'db', 'p', 2000);
    const r = bounded.write(records);
    expect(r.written + r.dropped).toBe(100);
    expect(r.written).toBeGreaterThan(0);
    expect(bounded.readOwn()[0].records.at(-1)?.event.message).toBe('e99');
    // localStorage nearly full: the newer half is tried before giving up
    const full = new Spill(fakeStorage(3000), 'db', 'p', 1_000_000);
    const f = full.write(records);
    expect(f.written).toBeGreaterThan(0);
    expect(f.written + f.dropped).toBe(100);
    const broken = {
      setItem() {
        throw new Error('denied');
      },
    } as unknown as Storage;
    expect(new Spill(broken, 'db', 'p', 1000).write(records)).toEqual({ written: 0, dropped: 100 });
    expect(new Spill(null, 'db', 'p', 1000).write(records)).toEqual({ written: 0, dropped: 100 });
  });

  it('ignores corrupt values', () => {
    const storage = fakeStorage();
    storage.setItem('mvx-logger:spill:db:x:0', '{not json');
    storage.setItem('mvx-logger:spill:db:x:1', '{"v":1,"r":[[1,0,{"id":5}]]}');
    const chunks = new Spill(storage, 'db', 'p', 1000).readAll();
    expect(chunks.flatMap((c) => c.records)).toEqual([]);
  });
});

describe('chunks', () => {
  it('split by count and bytes, and drop events without losing the rest', async () => {
    const { toChunks, chunkWithout, entriesOf } =
      await import('../../../src/sinks/indexeddb/chunk.js');
    const entries = Array.from({ length: 7 }, (_, i) => ({ event: event(i, 1000 + i), bytes: 10 }));
    expect(toChunks(entries, 3, 1000).map((c) => c.e.length)).toEqual([3, 3, 1]);
    expect(toChunks(entries, 100, 25).map((c) => c.e.length)).toEqual([2, 2, 2, 1]);
    const big = [{ event: event(9), bytes: 500 }];
    expect(toChunks(big, 100, 25).map((c) => c.e.length)).toEqual([1]); // alone even if larger
    const [c] = toChunks(entries, 100, 1000);
    expect(c).toMatchObject({ t: 1006, b: 70 });
    const rest = chunkWithout(c, (_, i) => i < 4)!;
    expect(rest.e.map((e) => e.message)).toEqual(['e4', 'e5', 'e6']);
    expect(rest).toMatchObject({ t: 1006, b: 30, ids: rest.e.map((e) => e.id) });
    expect(chunkWithout(c, () => true)).toBeUndefined();
    expect(entriesOf(7, rest).map((e) => e.key)).toEqual([7, 7, 7]);
  });
});
