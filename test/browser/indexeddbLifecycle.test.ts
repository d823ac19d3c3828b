import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  diagnostics,
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
// Nothing is written before the exit: everything is still queued when pagehide fires.
const HOLD = { flushIntervalMs: 60_000, maxBatchEvents: 10_000 };

/** Opens the test database directly (no upgrade). */
const openRaw = (database: string) =>
  new Promise<IDBDatabase>((resolve, reject) => {
    const r = indexedDB.open(database);
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });

/**
 * Holds a readwrite transaction on the buffer's stores open (it keeps issuing requests), so every
 * other readwrite transaction on them waits: the hang WebKit showed after a back/forward cache
 * entry. Returns the release.
 */
async function holdDatabase(database: string): Promise<() => void> {
  const db = await openRaw(database);
  const transaction = db.transaction(['chunks', 'meta'], 'readwrite');
  let holding = true;
  const spin = () => {
    const r = transaction.objectStore('meta').get(0);
    r.onsuccess = () => (holding ? spin() : undefined);
  };
  spin();
  return () => {
    holding = false;
    transaction.oncomplete = () => db.close();
  };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('IndexedDbSink: exit-time writes are one step', () => {
  it('queued events at pagehide are written with every request issued and the commit asked at once', async () => {
    const database = uniqueDb('exit-write');
    const lc = fakeLifecycle();
    // No localStorage spill: IndexedDB is the only place the exit batch can go.
    const s = sink({ database, ...HOLD, storage: null, pageLifecycle: lc.lifecycle });
    await s.export(); // the connection is open
    const events = Array.from({ length: 300 }, (_, i) => makeEvent(i));
    for (const e of events) s.log(e);
    const commit = vi.spyOn(IDBTransaction.prototype, 'commit');
    lc.pagehide();
    expect(commit).toHaveBeenCalledTimes(1); // synchronously: no await between the writes
    expect(s.stats()).toMatchObject({ handedOff: 300, queuedEvents: 0 });
    expect(s.stats().dropped.overflow).toBe(0);
    await until(async () => expect(await rawCount(database)).toBe(300));
    // The next page recounts the totals the one-step write could not read.
    const next = sink({ database, maxEvents: 250 });
    await next.flush();
    next.log(makeEvent(300));
    await next.flush();
    expect(next.stats()).toMatchObject({ storedEvents: 250, evicted: 51 });
  });

  it('a burst at exit is written in committed transactions of at most 1 000 events', async () => {
    // A page killed while it issues them (Chromium's unload timeout) keeps those committed.
    const database = uniqueDb('exit-parts');
    const lc = fakeLifecycle();
    const s = sink({ database, ...HOLD, storage: null, pageLifecycle: lc.lifecycle });
    await s.export();
    for (let i = 0; i < 2500; i++) s.log(makeEvent(i));
    const commit = vi.spyOn(IDBTransaction.prototype, 'commit');
    lc.pagehide();
    expect(commit).toHaveBeenCalledTimes(3);
    expect(s.stats()).toMatchObject({ handedOff: 2500, queuedEvents: 0 });
    await until(async () => expect(await rawCount(database)).toBe(2500));
  });

  it('the exit batch is written and spilled: the next page replays the spill without duplicates', async () => {
    const database = uniqueDb('exit-both');
    const lc = fakeLifecycle();
    const s = sink({ database, ...HOLD, pageLifecycle: lc.lifecycle });
    await s.export();
    const events = Array.from({ length: 40 }, (_, i) => makeEvent(i));
    for (const e of events) s.log(e);
    lc.pagehide();
    expect(s.stats().spilled).toBe(40);
    await until(async () => expect(await rawCount(database)).toBe(40));
    const t = fakeTransport();
    sink({ database, drainTo: t });
    await until(() => expect(sentIds(t)).toEqual(events.map((e) => e.id)));
  });

  it('without an open connection the exit batch is only spilled', async () => {
    const database = uniqueDb('exit-closed');
    const lc = fakeLifecycle();
    const s = sink({ database, ...HOLD, pageLifecycle: lc.lifecycle });
    await s.export();
    lc.pagehide(true); // into the back/forward cache: the connection closes
    s.log(makeEvent(1));
    lc.pagehide(); // an exit while suspended
    expect(s.stats().spilled).toBe(1);
    expect(await rawCount(database)).toBe(0);
  });
});

describe('IndexedDbSink: back/forward cache', () => {
  it('pagehide (persisted) aborts running transactions and closes the connection; pageshow resumes', async () => {
    const database = uniqueDb('bfcache');
    const lc = fakeLifecycle();
    const t = fakeTransport();
    const s = sink({ database, drainTo: t, pageLifecycle: lc.lifecycle });
    s.log(makeEvent(0));
    await until(() => expect(s.stats().drained).toBe(1));
    const close = vi.spyOn(IDBDatabase.prototype, 'close');
    const events = Array.from({ length: 200 }, (_, i) => makeEvent(i + 1));
    for (const e of events) s.log(e);
    await until(() => expect(s.stats().delivered).toBeGreaterThan(1)); // a write has begun
    lc.pagehide(true);
    expect(close).toHaveBeenCalled();
    // While in the cache, nothing touches the database: later events are spilled.
    const transaction = vi.spyOn(IDBDatabase.prototype, 'transaction');
    const later = Array.from({ length: 5 }, (_, i) => makeEvent(i + 201));
    for (const e of later) s.log(e);
    await until(() => expect(s.stats().spilled).toBeGreaterThanOrEqual(5));
    expect(transaction).not.toHaveBeenCalled();
    lc.pageshow(true);
    lc.show();
    const all = [...events, ...later].map((e) => e.id);
    await until(() => expect(sentIds(t).slice(1).sort()).toEqual([...all].sort()));
    expect(transaction).toHaveBeenCalled();
  });

  it('a transaction that a suspend aborted between two steps is retried after pageshow, not a fallback to memory', async () => {
    // Measured in WebKit under load: the suspend came between two steps of a drain transaction;
    // its next request threw TransactionInactiveError (not AbortError), which fell back to memory.
    const database = uniqueDb('bfcache-between-steps');
    const lc = fakeLifecycle();
    const t = fakeTransport();
    const kinds: string[] = [];
    const s = sink({
      database,
      drainTo: t,
      pageLifecycle: lc.lifecycle,
      onDiagnostic: (diagnostic) => kinds.push(diagnostic.kind),
    });
    await s.flush(); // open
    let suspended = false;
    const { openCursor } = IDBObjectStore.prototype;
    vi.spyOn(IDBObjectStore.prototype, 'openCursor').mockImplementation(function (
      this: IDBObjectStore,
      ...args: Parameters<IDBObjectStore['openCursor']>
    ) {
      if (!suspended) {
        suspended = true;
        lc.pagehide(true); // the page enters the back/forward cache between two steps
      }
      return openCursor.apply(this, args); // on the aborted transaction: TransactionInactiveError
    });
    const events = Array.from({ length: 20 }, (_, i) => makeEvent(i));
    for (const e of events) s.log(e);
    await until(() => expect(suspended).toBe(true));
    lc.pageshow(true);
    lc.show();
    await until(() => expect(sentIds(t).sort()).toEqual(events.map((e) => e.id).sort()));
    expect(s.stats().tier).toBe('indexeddb');
    expect(kinds.filter((kind) => kind.startsWith('indexeddb'))).toEqual([]);
  });

  it('a transaction whose commit was asked when its timeout fired is not also written to memory', async () => {
    // Measured in WebKit under load: replaying a 10 000-event spill took longer than the timeout
    // after the commit was asked; the write committed and the fallback wrote it to memory too.
    const database = uniqueDb('late-commit');
    const TIMEOUT_MS = 4321;
    const timeouts: (() => void)[] = [];
    const s = sink({
      database,
      ...HOLD,
      transactionTimeoutMs: TIMEOUT_MS,
      setTimeout: (callback: () => void, ms: number) => {
        if (ms === TIMEOUT_MS) timeouts.push(callback);
        return setTimeout(callback, ms);
      },
    });
    await s.flush(); // open
    const commit = IDBTransaction.prototype.commit;
    vi.spyOn(IDBTransaction.prototype, 'commit').mockImplementation(function (
      this: IDBTransaction,
    ) {
      commit.call(this);
      timeouts.at(-1)?.(); // the timeout fires now: the commit is asked, its outcome not known
    });
    const events = Array.from({ length: 50 }, (_, i) => makeEvent(i));
    for (const e of events) s.log(e);
    await s.flush();
    vi.restoreAllMocks();
    expect(s.stats().tier).toBe('indexeddb');
    expect((await s.export({ format: 'array' })).map((e) => e.id)).toEqual(events.map((e) => e.id));
    expect(await rawCount(database)).toBe(50);
  });

  it('a hung transaction times out into memory with a diagnostic; pageshow tries IndexedDB again', async () => {
    const database = uniqueDb('hang');
    const lc = fakeLifecycle();
    const d = diagnostics();
    const t = fakeTransport();
    const s = sink({
      database,
      drainTo: t,
      transactionTimeoutMs: 200,
      pageLifecycle: lc.lifecycle,
      onDiagnostic: d.onDiagnostic,
    });
    await s.flush();
    const release = await holdDatabase(database);
    const events = Array.from({ length: 20 }, (_, i) => makeEvent(i));
    for (const e of events) s.log(e);
    await until(() => expect(s.stats().tier).toBe('memory'));
    expect(d.kinds).toContain('indexeddb-timeout');
    // Nothing is lost: the memory tier drains.
    await until(() => expect(sentIds(t)).toEqual(events.map((e) => e.id)));
    release();
    lc.pagehide(true);
    lc.pageshow(true);
    expect(s.stats().tier).toBe('indexeddb');
    const more = Array.from({ length: 10 }, (_, i) => makeEvent(i + 20));
    for (const e of more) s.log(e);
    await until(() => expect(sentIds(t)).toEqual([...events, ...more].map((e) => e.id)));
    expect(d.kinds.filter((k) => k == 'indexeddb-timeout')).toHaveLength(1);
  });
});
