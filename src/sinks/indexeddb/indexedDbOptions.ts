import { checkedOptions, configFail, intOption } from '../../core/check.js';
import type { AsyncLogSinkOptions } from '../asyncOptions.js';
import type { PageLifecycle } from '../pageExit.js';
import type { DrainLockManager } from './drainLock.js';
import { optionNames, type AsyncOptionName } from './optionNames.js';
import type { LogBatchTransport } from './transport.js';

/**
 * Options of `IndexedDbSink`; the `AsyncLogSink` options apply to writing into the buffer.
 * @group Sinks
 */
export interface IndexedDbSinkOptions extends AsyncLogSinkOptions {
  /**
   * Name of the IndexedDB database. Every tab and worker of the origin using the same name shares
   * one buffer (and one drainer). The default follows the destination, so two apps on one origin
   * that upload to different endpoints never mix their events (one endpoint shared by two apps
   * still shares a buffer, on purpose).
   * @default 'mvx-logger:' + drainTo.url when `drainTo` has a string `url` (an `UploadSink`), else 'mvx-logger'
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
   * Give up on a storage transaction after this long: it is aborted and the buffer continues in
   * memory, reported once (`indexeddb-timeout`). WebKit was seen to hang every transaction on a
   * database while a page with a transaction in flight sat in the back/forward cache; the
   * buffer tries IndexedDB again when the page is shown again from that cache.
   * @default 5000
   */
  transactionTimeoutMs?: number;
  /**
   * Most bytes (2 per character, as `localStorage` counts them) this page spills to `localStorage`
   * on exit for events it could neither store nor hand to a beacon. The spill stores what the
   * events of one exit share once: the default holds a burst of about 10 000 typical events.
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

const OWNER = 'IndexedDbSink';

/** Documented defaults of the buffer's own numeric options (and `database`). */
export const IDB_DEFAULTS = {
  maxEvents: 10_000,
  maxBytes: 5 * 2 ** 20,
  maxAgeMs: 7 * 864e5,
  drainBatchEvents: 100,
  drainBatchBytes: 32 * 1024,
  drainPollMs: 2000,
  openTimeoutMs: 3000,
  transactionTimeoutMs: 5000,
  maxSpillBytes: 2 * 2 ** 20,
};
export const DEFAULT_DATABASE = 'mvx-logger';

/** The database name: the explicit one, else derived from the drain destination's `url`. */
export function databaseName(options: IndexedDbSinkOptions | undefined): unknown {
  const url = (options?.drainTo as { url?: unknown } | undefined)?.url;
  return (
    options?.database ?? (typeof url == 'string' ? `${DEFAULT_DATABASE}:${url}` : DEFAULT_DATABASE)
  );
}

/** The staging queue's bounds for `IndexedDbSink` (they differ from `AsyncLogSink`'s). */
export const IDB_QUEUE_DEFAULTS = {
  maxQueueBytes: 8 * 2 ** 20,
  // An event's JSON is ~100 B at least, so 8 MiB binds long before this count does.
  maxQueueEvents: 1_000_000,
};

/** Options with defaults applied and the platform globals read. */
export type Resolved = Record<keyof typeof IDB_DEFAULTS, number> &
  Pick<AsyncLogSinkOptions, AsyncOptionName> & {
    database: string;
    drainTo: LogBatchTransport | undefined;
    indexedDB: IDBFactory | null;
    locks: DrainLockManager | null;
    storage: Storage | null;
    broadcastChannel: (new (name: string) => BroadcastChannel) | null;
    pageLifecycle?: PageLifecycle | false;
    now: () => number;
    random: () => number;
    _setTimer: (callback: () => void, ms: number) => unknown;
    _clearTimer: (handle: unknown) => void;
  };

/** Reads a global that may be missing or throw on access (storage in opaque origins). */
const global = (read: () => unknown) => {
  try {
    return read() ?? null;
  } catch {
    return null;
  }
};

/**
 * Applies defaults, reads the platform globals (guarded) and validates.
 * @throws LogConfigError naming the option when one has the wrong type or range
 */
export function resolveOptions(options?: IndexedDbSinkOptions): Resolved {
  const given = checkedOptions(OWNER, options, optionNames(Object.keys(IDB_DEFAULTS))) as Record<
    string,
    any
  >;
  // Writing defaults that differ from AsyncLogSink's (it reads them from this object): a write
  // reaches IndexedDB within ~25 ms of `log()`; batches are large, since one transaction per batch
  // is what IndexedDB is fast at.
  const resolved = { ...given };
  resolved.flushIntervalMs ??= 25;
  resolved.maxBatchEvents ??= 500;
  resolved.maxBatchBytes ??= 2 ** 20;
  // The staging queue is bounded by bytes: a burst of 10 000 typical events (up to ~800 B each)
  // waits for its writes instead of losing half to a count.
  resolved.maxQueueBytes ??= IDB_QUEUE_DEFAULTS.maxQueueBytes;
  resolved.maxQueueEvents ??= IDB_QUEUE_DEFAULTS.maxQueueEvents;
  for (const key in IDB_DEFAULTS) {
    const fallback = IDB_DEFAULTS[key as keyof typeof IDB_DEFAULTS];
    // maxAgeMs may be Infinity (never expire); maxSpillBytes may be 0 (no spill).
    const minimum = key == 'maxSpillBytes' ? 0 : 1;
    resolved[key] =
      key == 'maxAgeMs' && given[key] === Infinity
        ? Infinity
        : intOption(OWNER, given, key, fallback, minimum);
  }
  const database = (resolved.database = databaseName(options));
  if (typeof database != 'string' || !database)
    configFail(OWNER, '`database` must be a non-empty string');
  const drainTo = given.drainTo;
  if (
    drainTo !== undefined &&
    (typeof drainTo?.send != 'function' || typeof drainTo.sendOnExit != 'function')
  )
    configFail(OWNER, '`drainTo` must have send() and sendOnExit()');
  const globalScope = globalThis as any;
  /** The option, else the (guarded) global; checked to be a function or have `method`. */
  const platform = (key: string, read: () => unknown, method: string, what: string) => {
    const value = given[key] === undefined ? global(read) : given[key];
    if (value !== null && typeof (method ? value?.[method] : value) != 'function')
      configFail(OWNER, `\`${key}\` must be ${what} or null`);
    resolved[key] = value;
  };
  platform('indexedDB', () => globalScope.indexedDB, 'open', 'an IDBFactory');
  platform('locks', () => globalScope.navigator.locks, 'request', 'a LockManager');
  platform('storage', () => globalScope.localStorage, 'setItem', 'a Storage');
  platform('broadcastChannel', () => globalScope.BroadcastChannel, '', 'a constructor');
  // (checked by AsyncLogSink)
  resolved.now = given.now ?? Date.now;
  resolved.random = given.random ?? Math.random;
  resolved._setTimer =
    given.setTimeout ?? ((callback: () => void, ms: number) => setTimeout(callback, ms));
  resolved._clearTimer = given.clearTimeout ?? ((handle: number) => clearTimeout(handle));
  return resolved as Resolved;
}
