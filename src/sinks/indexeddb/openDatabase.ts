import { wrap, type IDBPDatabase } from 'idb';

/** Object store of the buffered events, in chunks: auto-increment keys keep append order. */
export const EVENTS_STORE = 'chunks';
/** Object store of the running totals (`'totals'` → `{ events, bytes }`), kept in the same transactions. */
export const META_STORE = 'meta';
/** Multi-entry index on the event ids of each chunk, to skip stored events when replaying a spill. */
export const ID_INDEX = 'id';

/** Why opening failed: `blocked` by another tab's open connection, `timeout`, or `failed`. */
export type OpenFailure = 'blocked' | 'timeout' | 'failed';

/** Opening the buffer database failed; `failure` says how. */
export class IdbOpenError extends Error {
  override readonly name = 'IdbOpenError';
  constructor(
    readonly failure: OpenFailure,
    message: string,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
  }
}

/** Timer functions, injectable for tests. */
export interface OpenTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

function createStores(db: IDBDatabase, tx: IDBTransaction | null): void {
  if (!db.objectStoreNames.contains(EVENTS_STORE)) {
    const store = db.createObjectStore(EVENTS_STORE, { autoIncrement: true });
    store.createIndex(ID_INDEX, 'ids', { multiEntry: true });
  } else if (tx && !tx.objectStore(EVENTS_STORE).indexNames.contains(ID_INDEX)) {
    tx.objectStore(EVENTS_STORE).createIndex(ID_INDEX, 'ids', { multiEntry: true });
  }
  if (!db.objectStoreNames.contains(META_STORE)) db.createObjectStore(META_STORE);
}

function hasSchema(db: IDBDatabase): boolean {
  return db.objectStoreNames.contains(EVENTS_STORE) && db.objectStoreNames.contains(META_STORE);
}

/** One `open()` attempt at `version` (undefined: the current one), creating missing stores. */
function openOnce(
  factory: IDBFactory,
  name: string,
  version: number | undefined,
  timeoutMs: number,
  timers: OpenTimers,
): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let blocked = false;
    const request = version === undefined ? factory.open(name) : factory.open(name, version);
    const timer = timers.setTimeout(() => {
      if (settled) return;
      settled = true;
      reject(
        blocked
          ? new IdbOpenError('blocked', `upgrade of "${name}" blocked by another open connection`)
          : new IdbOpenError('timeout', `opening "${name}" did not finish in ${timeoutMs} ms`),
      );
    }, timeoutMs);
    request.onupgradeneeded = () => createStores(request.result, request.transaction);
    // `blocked` is not final: the other connection may still close, so the timer decides.
    request.onblocked = () => {
      blocked = true;
    };
    request.onsuccess = () => {
      const db = request.result;
      if (settled) {
        db.close(); // too late: this page already fell back to memory
        return;
      }
      settled = true;
      timers.clearTimeout(timer);
      resolve(db);
    };
    request.onerror = (event) => {
      event.preventDefault?.(); // keeps the error from surfacing as an uncaught window error
      if (settled) return;
      settled = true;
      timers.clearTimeout(timer);
      reject(new IdbOpenError('failed', `opening "${name}" failed`, request.error));
    };
  });
}

/**
 * Opens (creating or repairing the schema of) the buffer database through `factory`. A database
 * that exists without our stores (created by other code) is upgraded to its next version.
 * @param timeoutMs - give up after this long; some Safari versions never settle `open()`
 */
export async function openBufferDatabase(
  factory: IDBFactory,
  name: string,
  timeoutMs: number,
  timers: OpenTimers,
): Promise<IDBPDatabase> {
  let db: IDBDatabase;
  try {
    db = await openOnce(factory, name, undefined, timeoutMs, timers);
    if (!hasSchema(db)) {
      const next = db.version + 1;
      db.close();
      db = await openOnce(factory, name, next, timeoutMs, timers);
    }
  } catch (error) {
    throw error instanceof IdbOpenError
      ? error
      : new IdbOpenError('failed', `opening "${name}" failed`, error);
  }
  return wrap(db);
}
