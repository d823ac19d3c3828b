import { afterEach, vi } from 'vitest';
import {
  createEventId,
  IndexedDbSink,
  type LogEvent,
  type LogLevel,
  LOG_SEVERITY,
} from '../../src/index.js';
import type { LogBatchOutcome, LogBatchTransport } from '../../src/sinks/indexeddb/drainLoop.js';
import { createFakeEventTarget } from '../fakes/fakeEventTarget.js';

/** A unique database name per test, so tests never see each other's data. */
export const uniqueDb = (label: string) =>
  `idb-test-${label}-${Math.random().toString(36).slice(2)}`;

/** A frozen event as a LogContext would build it. */
export function makeEvent(
  n: number,
  over: Partial<LogEvent> & { level?: LogLevel } = {},
): LogEvent {
  const level = over.level ?? 'info';
  return Object.freeze({
    id: createEventId(),
    namespace: 'test/idb',
    level,
    severity: LOG_SEVERITY[level],
    message: `event ${n}`,
    time: Date.now(),
    payload: { n },
    ...over,
  });
}

/** A transport that records every batch; `outcome` decides each answer (default: ok). */
export function fakeTransport(
  outcome: (
    batch: readonly LogEvent[],
    call: number,
  ) => LogBatchOutcome | Promise<LogBatchOutcome> = () => ({
    ok: true,
    retry: false,
  }),
  exitTakes: (batch: readonly LogEvent[]) => number = () => 0,
) {
  const batches: LogEvent[][] = [];
  const exitBatches: LogEvent[][] = [];
  const transport: LogBatchTransport & { batches: LogEvent[][]; exitBatches: LogEvent[][] } = {
    batches,
    exitBatches,
    send(batch) {
      batches.push([...batch]);
      return Promise.resolve(outcome(batch, batches.length));
    },
    sendOnExit(batch) {
      const n = exitTakes(batch);
      exitBatches.push(batch.slice(0, n));
      return n;
    },
  };
  return transport;
}

/** Ids of every event a transport received, in order. */
export const sentIds = (t: { batches: LogEvent[][]; exitBatches?: LogEvent[][] }) =>
  [...t.batches.flat(), ...(t.exitBatches ?? []).flat()].map((e) => e.id);

/** Opens the database directly (no upgrade) and returns the number of stored events (all chunks). */
export async function rawCount(database: string): Promise<number> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const r = indexedDB.open(database);
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  try {
    if (!db.objectStoreNames.contains('chunks')) return 0;
    const chunks = await new Promise<{ events: unknown[] }[]>((resolve, reject) => {
      const r = db.transaction('chunks').objectStore('chunks').getAll();
      r.onsuccess = () => resolve(r.result as { events: unknown[] }[]);
      r.onerror = () => reject(r.error);
    });
    return chunks.reduce((n, c) => n + c.events.length, 0);
  } finally {
    db.close();
  }
}

/** A fake document/window pair whose exit signals the test fires (events carry their `type`). */
export function fakeLifecycle() {
  const doc = Object.assign(createFakeEventTarget(), { visibilityState: 'visible' });
  const win = createFakeEventTarget();
  return {
    lifecycle: { document: doc, window: win },
    /**
     * `persisted`: the page goes into the back/forward cache. `cutShort`: the first listener (the
     * sink's exit path) does not run, as a Firefox tab closed over WebDriver BiDi did (measured).
     */
    pagehide(persisted = false, cutShort = false) {
      win.dispatch('pagehide', { type: 'pagehide', persisted }, cutShort ? 1 : 0);
    },
    /** `persisted`: the page comes back from the back/forward cache. */
    pageshow(persisted = true) {
      win.dispatch('pageshow', { type: 'pageshow', persisted });
    },
    hide() {
      doc.visibilityState = 'hidden';
      doc.dispatch('visibilitychange', { type: 'visibilitychange' });
    },
    show() {
      doc.visibilityState = 'visible';
      doc.dispatch('visibilitychange', { type: 'visibilitychange' });
    },
  };
}

/** Collects diagnostics by kind. */
export function diagnostics() {
  const kinds: string[] = [];
  return { kinds, onDiagnostic: (d: { kind: string }) => void kinds.push(d.kind) };
}

/** Polls until `check` passes (IndexedDB is asynchronous; real timers are needed here). */
export const until = (check: () => unknown | Promise<unknown>, timeout = 5000) =>
  vi.waitFor(check, { timeout, interval: 20 });

/** Deletes a test database (best effort). */
export function dropDb(database: string): Promise<void> {
  return new Promise((resolve) => {
    const r = indexedDB.deleteDatabase(database);
    r.onsuccess = r.onerror = r.onblocked = () => resolve();
  });
}

/**
 * A factory of test sinks (no page lifecycle, silent diagnostics) that closes them, removes their
 * localStorage keys (spill, health) and drops their databases after each test.
 */
export function useSinks(): (
  options?: ConstructorParameters<typeof IndexedDbSink>[0],
) => IndexedDbSink {
  const open: IndexedDbSink[] = [];
  const dbs: string[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
    for (const k of Object.keys(localStorage)) {
      if (dbs.some((db) => k.includes(encodeURIComponent(db)))) localStorage.removeItem(k);
    }
    await Promise.all(dbs.splice(0).map(dropDb));
  });
  return (options = {}) => {
    const s = new IndexedDbSink({ pageLifecycle: false, onDiagnostic: () => {}, ...options });
    open.push(s);
    if (options.database) dbs.push(options.database);
    return s;
  };
}
