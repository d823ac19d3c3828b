import { LogConfigError } from '../../core/errors.js';
import { ASYNC_SINK_DEFAULTS, type AsyncLogSinkOptions } from '../asyncOptions.js';
import type { DrainLockManager } from './drainLock.js';
import type { LogBatchTransport } from './drainLoop.js';

/** Options of `IndexedDbSink`; the `AsyncLogSink` options apply to writing into the buffer. */
export interface IndexedDbSinkOptions extends AsyncLogSinkOptions {
  /**
   * Name of the IndexedDB database. Every tab and worker of the origin using the same name shares
   * one buffer (and one drainer).
   * @default 'mvx-logger'
   */
  database?: string;
  /**
   * Where stored events are uploaded: an `UploadSink` (only its `send`/`sendOnExit` are used, its
   * own queue is bypassed — do not also give it to a `LogContext` for the same events) or any
   * {@link LogBatchTransport}. Without it the buffer only keeps the latest events for `export()`.
   */
  drainTo?: LogBatchTransport;
  /**
   * Most events stored; beyond it the oldest are deleted, counted `evicted`.
   * @default 10000
   */
  maxEvents?: number;
  /**
   * Most estimated bytes stored (JSON length of the events); beyond it the oldest are deleted,
   * counted `evicted`.
   * @default 5242880 (5 MiB)
   */
  maxBytes?: number;
  /**
   * Stored events older than this are deleted unsent, counted `expired`.
   * @default 604800000 (7 days)
   */
  maxAgeMs?: number;
  /**
   * Most events per upload while draining. Also the most duplicates one drainer's death can
   * cause: a batch in flight when the page dies may reach the receiver, stay stored, and be sent
   * again by the next drainer.
   * @default 100
   */
  drainBatchEvents?: number;
  /**
   * Most estimated bytes per upload while draining (a single larger event is still sent alone).
   * Half the 64 KiB keepalive budget, as for `UploadSink`, so an upload in flight leaves room for
   * the exit beacon.
   * @default 32768 (32 KiB)
   */
  drainBatchBytes?: number;
  /**
   * How often an idle drainer looks for events written by tabs it was not told about.
   * @default 2000
   */
  drainPollMs?: number;
  /**
   * Give up opening the database after this long (blocked by another tab's connection, or an
   * `open()` that never settles, as in some Safari versions) and buffer in memory.
   * @default 3000
   */
  openTimeoutMs?: number;
  /**
   * Most bytes (2 per character, as `localStorage` counts them) this page spills to `localStorage`
   * on exit for events it could neither store nor hand to a beacon.
   * @default 2097152 (2 MiB)
   */
  maxSpillBytes?: number;
  /**
   * The IndexedDB factory; `null` forces the in-memory tier.
   * @default globalThis.indexedDB (memory when missing)
   */
  indexedDB?: IDBFactory | null;
  /**
   * Web Locks, for the one-drainer-per-database rule; `null` drains without a lock (several tabs
   * may then upload the same events).
   * @default globalThis.navigator.locks
   */
  locks?: DrainLockManager | null;
  /**
   * Where the exit spill goes; `null` disables spilling.
   * @default globalThis.localStorage
   */
  storage?: Storage | null;
  /**
   * Tells the drainer in another tab that events were stored; `null` leaves it to `drainPollMs`.
   * @default globalThis.BroadcastChannel
   */
  broadcastChannel?: (new (name: string) => BroadcastChannel) | null;
}

const KIB = 1024;

/** Documented defaults of the buffer's own options. */
export const INDEXEDDB_SINK_DEFAULTS = {
  database: 'mvx-logger',
  maxEvents: 10_000,
  maxBytes: 5 * KIB * KIB,
  maxAgeMs: 7 * 24 * 60 * 60 * 1000,
  drainBatchEvents: 100,
  drainBatchBytes: 32 * KIB,
  drainPollMs: 2000,
  openTimeoutMs: 3000,
  maxSpillBytes: 2 * KIB * KIB,
} as const;

/**
 * Writing defaults that differ from `AsyncLogSink`'s: a write reaches IndexedDB within ~25 ms of
 * `log()`, so little is only in memory when the page dies; batches are large because one
 * transaction per batch is what IndexedDB is fast at.
 */
export const INDEXEDDB_WRITE_DEFAULTS = {
  flushIntervalMs: 25,
  maxBatchEvents: 500,
  maxBatchBytes: 1024 * KIB,
} as const;

/** The caller's options with {@link INDEXEDDB_WRITE_DEFAULTS} where they left a value out. */
export function withWriteDefaults(o: IndexedDbSinkOptions): IndexedDbSinkOptions {
  if (typeof o !== 'object' || o === null) return o; // the base sink reports the bad value
  const d = INDEXEDDB_WRITE_DEFAULTS;
  return {
    ...o,
    flushIntervalMs: o.flushIntervalMs ?? d.flushIntervalMs,
    maxBatchEvents: o.maxBatchEvents ?? d.maxBatchEvents,
    maxBatchBytes: o.maxBatchBytes ?? d.maxBatchBytes,
  };
}

type Numeric = Exclude<keyof typeof INDEXEDDB_SINK_DEFAULTS, 'database'>;

/** Options with defaults applied. */
export type ResolvedIndexedDbOptions = Record<Numeric, number> & {
  readonly database: string;
  readonly drainTo: LogBatchTransport | undefined;
  readonly indexedDB: IDBFactory | null;
  readonly locks: DrainLockManager | null;
  readonly storage: Storage | null;
  readonly broadcastChannel: (new (name: string) => BroadcastChannel) | null;
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
};

/** Reads a global that may be missing or throw on access (storage in opaque origins). */
function global<T>(read: () => T | undefined): T | null {
  try {
    return read() ?? null;
  } catch {
    return null;
  }
}

const g = globalThis as {
  indexedDB?: IDBFactory;
  navigator?: { locks?: DrainLockManager };
  localStorage?: Storage;
  BroadcastChannel?: new (name: string) => BroadcastChannel;
};

function check(ok: boolean, message: string): void {
  if (!ok) throw new LogConfigError(`IndexedDbSink: ${message}`);
}

/**
 * Applies defaults, reads the platform globals (guarded) and validates.
 * @throws LogConfigError when an option has the wrong type or range
 */
export function resolveIndexedDbOptions(o: IndexedDbSinkOptions): ResolvedIndexedDbOptions {
  check(typeof o === 'object' && o !== null, 'options must be an object');
  const database = o.database ?? INDEXEDDB_SINK_DEFAULTS.database;
  check(typeof database === 'string' && database.length > 0, 'database must be a non-empty string');
  const out: Record<string, number> = {};
  for (const key of Object.keys(INDEXEDDB_SINK_DEFAULTS) as (Numeric | 'database')[]) {
    if (key === 'database') continue;
    const v = o[key] ?? INDEXEDDB_SINK_DEFAULTS[key];
    // maxAgeMs may be Infinity (never expire); the rest are whole numbers.
    const ok =
      key === 'maxAgeMs' ? v > 0 : Number.isInteger(v) && v >= (key === 'maxSpillBytes' ? 0 : 1);
    check(typeof v === 'number' && ok, `${key} must be a positive integer, got ${String(v)}`);
    out[key] = v;
  }
  const drainTo = o.drainTo;
  check(
    drainTo === undefined ||
      (typeof drainTo === 'object' &&
        drainTo !== null &&
        typeof drainTo.send === 'function' &&
        typeof drainTo.sendOnExit === 'function'),
    'drainTo must be an UploadSink or an object with send(batch) and sendOnExit(batch)',
  );
  const factory = o.indexedDB === undefined ? global(() => g.indexedDB) : o.indexedDB;
  check(
    factory === null || typeof factory?.open === 'function',
    'indexedDB must be an IDBFactory or null',
  );
  const locks = o.locks === undefined ? global(() => g.navigator?.locks) : o.locks;
  check(
    locks === null || typeof locks?.request === 'function',
    'locks must be a LockManager or null',
  );
  const storage = o.storage === undefined ? global(() => g.localStorage) : o.storage;
  check(
    storage === null || typeof storage?.setItem === 'function',
    'storage must be a Storage (localStorage) or null',
  );
  const channel =
    o.broadcastChannel === undefined ? global(() => g.BroadcastChannel) : o.broadcastChannel;
  check(
    channel === null || typeof channel === 'function',
    'broadcastChannel must be a constructor or null',
  );
  return {
    ...(out as Record<Numeric, number>),
    database,
    drainTo,
    indexedDB: factory,
    locks,
    storage,
    broadcastChannel: channel,
    retryBaseMs: o.retryBaseMs ?? ASYNC_SINK_DEFAULTS.retryBaseMs,
    retryMaxMs: o.retryMaxMs ?? ASYNC_SINK_DEFAULTS.retryMaxMs,
  };
}
