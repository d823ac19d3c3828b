import { describe, expect, it } from 'vitest';
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

/**
 * The real factory, with hooks into the connections it opens (fault injection, not a fake store:
 * every request still goes to Chromium's IndexedDB).
 */
function hookedFactory(onOpen: (db: IDBDatabase) => void): IDBFactory {
  return {
    open(name: string, version?: number) {
      const req = version === undefined ? indexedDB.open(name) : indexedDB.open(name, version);
      // Registered before the sink's own `onsuccess`, so it runs first.
      req.addEventListener('success', () => onOpen(req.result));
      return req;
    },
  } as unknown as IDBFactory;
}

/** Every write transaction after the first `okWrites` fails like a full disk: QuotaExceededError. */
function quotaFactory(okWrites: number): IDBFactory {
  let writes = 0;
  return hookedFactory((db) => {
    const transaction = db.transaction.bind(db);
    db.transaction = ((stores: string[], mode?: IDBTransactionMode, o?: object) => {
      const tx = transaction(stores, mode, o);
      if (mode === 'readwrite' && ++writes > okWrites) {
        const objectStore = tx.objectStore.bind(tx);
        tx.objectStore = (name: string) => {
          const store = objectStore(name);
          store.add = () => {
            throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
          };
          return store;
        };
      }
      return tx;
    }) as IDBDatabase['transaction'];
  });
}

describe('IndexedDbSink: degraded storage', () => {
  it('QuotaExceededError: falls back to memory, reports once, loses nothing', async () => {
    const database = uniqueDb('quota');
    const { kinds, onDiagnostic } = diagnostics();
    const t = fakeTransport();
    const s = sink({ database, indexedDB: quotaFactory(1), onDiagnostic, maxBatchEvents: 10 });
    const events = Array.from({ length: 40 }, (_, i) => makeEvent(i));
    for (const e of events) s.log(e);
    await s.flush();
    expect(s.stats().tier).toBe('memory');
    expect(kinds.filter((k) => k === 'indexeddb-quota')).toHaveLength(1);
    // The first batch made it to IndexedDB, the rest is in memory; export sees both.
    const exported = await s.export({ format: 'array' });
    expect(exported.map((e) => e.id)).toEqual(events.map((e) => e.id));
    expect(s.stats().dropped).toMatchObject({ overflow: 0, failed: 0, evicted: 0 });
    void t;
  });

  it('QuotaExceededError while draining: memory events are still delivered', async () => {
    const database = uniqueDb('quota-drain');
    const t = fakeTransport();
    const s = sink({ database, indexedDB: quotaFactory(0), drainTo: t, onDiagnostic: () => {} });
    const events = Array.from({ length: 25 }, (_, i) => makeEvent(i));
    for (const e of events) s.log(e);
    await until(() => expect(sentIds(t)).toEqual(events.map((e) => e.id)));
    expect(s.stats()).toMatchObject({ tier: 'memory', drained: 25, drainer: true });
  });

  it('a blocked upgrade times out into memory and reports once', async () => {
    const database = uniqueDb('blocked');
    // Another "tab" holds the database at version 1 without our stores and ignores versionchange.
    const holder = await new Promise<IDBDatabase>((resolve) => {
      const r = indexedDB.open(database, 1);
      r.onupgradeneeded = () => r.result.createObjectStore('other');
      r.onsuccess = () => resolve(r.result);
    });
    try {
      const { kinds, onDiagnostic } = diagnostics();
      const s = sink({ database, openTimeoutMs: 300, onDiagnostic });
      s.log(makeEvent(1));
      await s.flush();
      expect(s.stats().tier).toBe('memory');
      expect(kinds).toEqual(['indexeddb-open-blocked']);
      expect(await s.export({ format: 'array' })).toHaveLength(1);
    } finally {
      holder.close();
    }
  });

  it('open() throwing (storage disabled) falls back to memory', async () => {
    const { kinds, onDiagnostic } = diagnostics();
    const throwing = {
      open() {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      },
    } as unknown as IDBFactory;
    const s = sink({ database: uniqueDb('insecure'), indexedDB: throwing, onDiagnostic });
    expect(() => s.log(makeEvent(1))).not.toThrow();
    await s.flush();
    expect(s.stats().tier).toBe('memory');
    expect(kinds).toEqual(['indexeddb-open-failed']);
  });

  it('missing IndexedDB: memory tier, export and drain still work', async () => {
    const { kinds, onDiagnostic } = diagnostics();
    const t = fakeTransport();
    const s = sink({ indexedDB: null, drainTo: t, onDiagnostic });
    const events = Array.from({ length: 10 }, (_, i) => makeEvent(i));
    for (const e of events) s.log(e);
    await until(() => expect(sentIds(t)).toEqual(events.map((e) => e.id)));
    expect(s.stats()).toMatchObject({ tier: 'memory', drained: 10, storedEvents: 0 });
    expect(kinds).toEqual(['indexeddb-unavailable']);
    const standalone = sink({ indexedDB: null, onDiagnostic: () => {} });
    for (const e of events) standalone.log(e);
    expect((await standalone.export({ format: 'array' })).map((e) => e.id)).toEqual(
      events.map((e) => e.id),
    );
  });

  it('a connection closed by the browser is reopened on next use', async () => {
    const database = uniqueDb('closed');
    const { kinds, onDiagnostic } = diagnostics();
    const connections: IDBDatabase[] = [];
    const s = sink({
      database,
      onDiagnostic,
      indexedDB: hookedFactory((db) => connections.push(db)),
    });
    s.log(makeEvent(1));
    await s.flush();
    expect(connections).toHaveLength(1);
    // What Safari does to background tabs: the connection is closed and a `close` event fires.
    connections[0].close();
    connections[0].dispatchEvent(new Event('close'));
    s.log(makeEvent(2));
    await s.flush();
    // Closed without an event (the next transaction() throws InvalidStateError): also recovered.
    connections[1].close();
    s.log(makeEvent(3));
    await s.flush();
    expect(connections).toHaveLength(3);
    expect(s.stats().tier).toBe('indexeddb');
    expect(kinds).toEqual(['indexeddb-reconnect']);
    expect(await rawCount(database)).toBe(3);
  });

  it('a version change from another tab: steps aside, then reopens', async () => {
    const database = uniqueDb('versionchange');
    const { kinds, onDiagnostic } = diagnostics();
    const s = sink({ database, onDiagnostic });
    s.log(makeEvent(1));
    await s.flush();
    // Another tab upgrades; it must not be blocked by us.
    const other = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open(database, 2);
      r.onupgradeneeded = () => r.result.createObjectStore('newer-feature');
      r.onsuccess = () => resolve(r.result);
      r.onblocked = () => reject(new Error('blocked by the sink'));
    });
    other.close();
    s.log(makeEvent(2));
    await s.flush();
    expect(s.stats().tier).toBe('indexeddb');
    expect(kinds).toEqual(['indexeddb-reconnect']);
    expect(await rawCount(database)).toBe(2);
  });
});

describe('IndexedDbSink: platform gaps', () => {
  it('without Web Locks every page drains, and the duplicate risk is reported', async () => {
    const database = uniqueDb('no-locks');
    const { kinds, onDiagnostic } = diagnostics();
    const t = fakeTransport();
    const s = sink({ database, drainTo: t, locks: null, onDiagnostic });
    s.log(makeEvent(1));
    await until(() => expect(s.stats().drained).toBe(1));
    expect(s.stats().drainer).toBe(true);
    expect(kinds).toEqual(['indexeddb-no-locks']);
  });

  it('coming back online ends the backoff at once', async () => {
    const database = uniqueDb('online');
    let down = true;
    const t = fakeTransport(() => (down ? { ok: false, retry: true } : { ok: true, retry: false }));
    // A first retry waits 30-60 s: only the online event can make this test pass in time.
    const s = sink({ database, drainTo: t, retryBaseMs: 60_000, retryMaxMs: 60_000 });
    s.log(makeEvent(1));
    await until(() => expect(t.batches).toHaveLength(1));
    down = false;
    window.dispatchEvent(new Event('online'));
    await until(() => expect(s.stats().drained).toBe(1), 2000);
  });

  it('runs in a dedicated worker (no document): stores and exports', async () => {
    const worker = new Worker(new URL('./indexeddbWorker.ts', import.meta.url), { type: 'module' });
    try {
      const result = await new Promise<{ tier: string; exported: number; error?: string }>(
        (resolve) => {
          worker.onmessage = (e) => resolve(e.data);
          worker.postMessage(uniqueDb('worker'));
        },
      );
      expect(result).toEqual({ tier: 'indexeddb', exported: 3 });
    } finally {
      worker.terminate();
    }
  });
});

describe('IndexedDbSink: a failing transport never throws into the app', () => {
  it('send() throwing is retried; events stay stored', async () => {
    const database = uniqueDb('throwing');
    const { kinds, onDiagnostic } = diagnostics();
    let calls = 0;
    const transport = {
      send(): never {
        calls++;
        throw new Error('transport exploded');
      },
      sendOnExit: () => 0,
    };
    const s = sink({ database, drainTo: transport, onDiagnostic, retryBaseMs: 5, retryMaxMs: 10 });
    for (let i = 0; i < 5; i++) expect(() => s.log(makeEvent(i))).not.toThrow();
    await until(() => expect(calls).toBeGreaterThan(2));
    expect(await rawCount(database)).toBe(5);
    expect(kinds).toContain('drain-transport-threw');
  });

  it('sendOnExit() throwing: the events are spilled instead', async () => {
    const database = uniqueDb('exit-throwing');
    const { kinds, onDiagnostic } = diagnostics();
    const transport = {
      send: () => Promise.resolve({ ok: true, retry: false }),
      sendOnExit(): never {
        throw new Error('beacon exploded');
      },
    };
    const lc = fakeLifecycle();
    const s = sink({
      database,
      drainTo: transport,
      onDiagnostic,
      pageLifecycle: lc.lifecycle,
      flushIntervalMs: 60_000,
    });
    s.log(makeEvent(0));
    await s.flush();
    await until(() => expect(s.stats().drained).toBe(1)); // healthy: the exit path will beacon
    s.log(makeEvent(1));
    expect(() => lc.pagehide()).not.toThrow();
    expect(kinds).toContain('drain-exit-threw');
    expect(s.stats().spilled).toBe(1);
  });

  it('send() resolving to garbage is treated as a retryable failure', async () => {
    const database = uniqueDb('garbage');
    let calls = 0;
    const transport = {
      send: () => Promise.resolve((calls++ < 2 ? undefined : { ok: true, retry: false }) as never),
      sendOnExit: () => 0,
    };
    const s = sink({
      database,
      drainTo: transport,
      retryBaseMs: 5,
      retryMaxMs: 10,
      onDiagnostic: () => {},
    });
    s.log(makeEvent(1));
    await until(() => expect(s.stats().drained).toBe(1));
    expect(calls).toBe(3);
  });
});
