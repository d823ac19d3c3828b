import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  configureLogSink,
  IndexedDbSink,
  LogSinkConflictError,
  resetLogSinks,
} from '../../src/index.js';
import {
  fakeLifecycle,
  fakeTransport,
  makeEvent,
  rawCount,
  sentIds,
  uniqueDb,
  until,
  useSinks,
} from './indexeddbHelpers.js';

const sink = useSinks();

describe('IndexedDbSink: what a new page sees of earlier pages', () => {
  it('stats() counts events stored by earlier pages once flush() resolved, even if it never logs', async () => {
    const database = uniqueDb('stats-known');
    const first = sink({ database });
    for (let i = 0; i < 50; i++) first.log(makeEvent(i));
    await first.close();
    const s = sink({ database });
    await s.flush(); // nothing queued: resolves once the database is open and its totals read
    expect(s.stats()).toMatchObject({ storedEvents: 50, tier: 'indexeddb' });
    expect(s.stats().storedBytes).toBeGreaterThan(0);
  });

  it('bounds hold over what earlier pages stored', async () => {
    const database = uniqueDb('bounds-shared');
    const first = sink({ database });
    const old = Array.from({ length: 50 }, (_, i) => makeEvent(i));
    for (const e of old) first.log(e);
    await first.close();
    const s = sink({ database, maxEvents: 60 });
    const fresh = Array.from({ length: 20 }, (_, i) => makeEvent(100 + i));
    for (const e of fresh) s.log(e);
    const kept = await s.export({ format: 'array' });
    expect(kept.map((e) => e.id)).toEqual([...old.slice(10), ...fresh].map((e) => e.id));
    expect(s.stats()).toMatchObject({ storedEvents: 60, evicted: 10 });
  });

  it('stored counters read 0 once everything was drained', async () => {
    const database = uniqueDb('stats-drained');
    const t = fakeTransport();
    const s = sink({ database, drainTo: t });
    for (let i = 0; i < 30; i++) s.log(makeEvent(i));
    await until(() => expect(s.stats().drained).toBe(30));
    expect(s.stats()).toMatchObject({ storedEvents: 0, storedBytes: 0, drainer: true });
  });
});

describe('IndexedDbSink: the stored format (read by other tabs and later pages; never mangled)', () => {
  it('chunk records with readable field names, totals as [events, bytes], spill rows as objects', async () => {
    const database = uniqueDb('format');
    const life = fakeLifecycle();
    const s = sink({ database, pageLifecycle: life.lifecycle });
    const stored = [makeEvent(1), makeEvent(2)];
    for (const e of stored) s.log(e);
    await s.flush();
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open(database);
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const read = (store: string) =>
      new Promise<unknown[]>((resolve, reject) => {
        const r = db.transaction(store).objectStore(store).getAll();
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
    const [chunk] = (await read('chunks')) as Record<string, unknown>[];
    const [totals] = await read('meta');
    db.close();
    expect(Object.keys(chunk).sort()).toEqual([
      'bytes',
      'eventBytes',
      'events',
      'ids',
      'newestTime',
    ]);
    expect(chunk.ids).toEqual(stored.map((e) => e.id));
    expect(chunk.newestTime).toBe(Math.max(...stored.map((e) => e.time)));
    expect(totals).toEqual([2, chunk.bytes]);
    const queued = makeEvent(3);
    s.log(queued);
    life.pagehide(); // not written yet: written at once and spilled as maybe-stored
    const key = Object.keys(localStorage).find(
      (k) => k.includes(encodeURIComponent(database)) && k.includes(':spill:'),
    )!;
    const { id, time, ...shared } = queued;
    // Version 2: what the rows share once (`base`), each row positional (see spillFormat.ts).
    expect(JSON.parse(localStorage.getItem(key)!)).toEqual({
      base: { ...shared, time },
      idPrefix: id.slice(0, id.lastIndexOf('-') + 1),
      rows: [[expect.any(Number), 1, parseInt(id.slice(id.lastIndexOf('-') + 1), 36), 0, {}]],
    });
  });
});

describe('IndexedDbSink: standalone', () => {
  it('clear() also removes what any page spilled; export() includes the spill first', async () => {
    const database = uniqueDb('clear-spill');
    const life = fakeLifecycle();
    const a = sink({ database, pageLifecycle: life.lifecycle, flushIntervalMs: 60_000 });
    const spilled = Array.from({ length: 5 }, (_, i) => makeEvent(i));
    for (const e of spilled) a.log(e);
    life.pagehide(); // not written yet: spilled to localStorage
    expect(a.stats().spilled).toBe(5);
    const b = sink({ database });
    expect((await b.export({ format: 'array' })).map((e) => e.id)).toEqual(
      spilled.map((e) => e.id),
    );
    const life2 = fakeLifecycle();
    const c = sink({ database, pageLifecycle: life2.lifecycle, flushIntervalMs: 60_000 });
    c.log(makeEvent(9));
    life2.pagehide();
    await b.clear();
    expect(
      Object.keys(localStorage).filter((k) => k.includes(encodeURIComponent(database))),
    ).toEqual([]);
    expect(await rawCount(database)).toBe(0);
    expect(await b.export()).toBe('');
  });

  it('close() is idempotent, also when called concurrently', async () => {
    const database = uniqueDb('close-twice');
    const t = fakeTransport();
    const s = sink({ database, drainTo: t });
    s.log(makeEvent(1));
    await Promise.all([s.close(), s.close()]);
    await s.close();
    expect(await rawCount(database)).toBeLessThanOrEqual(1);
    expect(s.stats().drainer).toBe(false);
  });
});

describe('IndexedDbSink in the registry', () => {
  afterEach(() => resetLogSinks());

  it('same database and settings: one instance; different bounds: a conflict', async () => {
    const database = uniqueDb('registry');
    const t = fakeTransport();
    const opts = { database, drainTo: t, pageLifecycle: false as const };
    const a = configureLogSink({ name: 'buffer', sinkClass: IndexedDbSink, ...opts });
    expect(configureLogSink({ name: 'buffer', sinkClass: IndexedDbSink, ...opts })).toBe(a);
    expect(() =>
      configureLogSink({ name: 'buffer', sinkClass: IndexedDbSink, ...opts, maxEvents: 5 }),
    ).toThrow(LogSinkConflictError);
    expect(() =>
      configureLogSink({
        name: 'buffer',
        sinkClass: IndexedDbSink,
        ...opts,
        drainTo: fakeTransport(),
      }),
    ).toThrow(LogSinkConflictError);
    a.log(makeEvent(1));
    await until(() => expect(sentIds(t)).toHaveLength(1));
  });
});

describe('IndexedDbSink: writes', () => {
  it('one readwrite transaction per batch, each asking for its commit', async () => {
    const database = uniqueDb('tx-per-batch');
    const s = sink({ database });
    await s.flush(); // opened
    const transaction = vi.spyOn(IDBDatabase.prototype, 'transaction');
    const commit = vi.spyOn(IDBTransaction.prototype, 'commit');
    try {
      for (let i = 0; i < 1000; i++) s.log(makeEvent(i)); // two batches of 500 (the default)
      await s.flush();
      const writes = transaction.mock.calls.filter((c) => c[1] === 'readwrite');
      expect(writes).toHaveLength(2);
      expect(commit).toHaveBeenCalledTimes(2);
    } finally {
      transaction.mockRestore();
      commit.mockRestore();
    }
    expect(await rawCount(database)).toBe(1000);
    expect(s.stats()).toMatchObject({ delivered: 1000, storedEvents: 1000 });
  });
});

describe('IndexedDbSink: a dropped connection', () => {
  it('a late close event of the old connection does not orphan the new one', async () => {
    const database = uniqueDb('late-close');
    const connections: IDBDatabase[] = [];
    const factory = {
      open: (name: string, version?: number) => {
        const req = indexedDB.open(name, version);
        req.addEventListener('success', () => connections.push(req.result));
        return req;
      },
    } as unknown as IDBFactory;
    const s = sink({ database, indexedDB: factory });
    s.log(makeEvent(1));
    await s.flush();
    // The browser closes the connection: the next write fails and reopens at once; the old
    // connection's close event comes after that (as in Safari, after the aborted transactions).
    connections[0].close();
    s.log(makeEvent(2));
    await until(() => expect(connections).toHaveLength(2));
    connections[0].dispatchEvent(new Event('close'));
    await s.flush();
    s.log(makeEvent(3));
    await s.flush();
    expect(connections).toHaveLength(2); // the reopened connection is still the one in use
    await s.close();
    await until(() => expect(() => connections[1].transaction('meta')).toThrow()); // closed
    expect(await rawCount(database)).toBe(3);
  });
});
