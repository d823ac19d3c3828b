import { wrap, type IDBPDatabase } from 'idb';
import type { Resolved } from './indexedDbOptions.js';

/** Chunk records (auto-increment keys, multi-entry index `id` over their ids). */
export const CHUNK_STORE = 'chunks';
/** The running totals; this store stands for the schema (both are created together). */
export const META_STORE = 'meta';

/** Why opening failed: `blocked`, `timeout` or `failed`, with a message. */
export interface OpenFailure {
  _reason: 'blocked' | 'timeout' | 'failed';
  _message: string;
  _cause?: unknown;
}

/**
 * Opens (creating or repairing the schema of) the buffer database. A database of that name without
 * our stores (other code's) is upgraded to its next version. Rejects with an {@link OpenFailure}:
 * `blocked` by another tab's connection, `timeout` (some Safari versions never settle `open()`), or
 * `failed`.
 * @param onClose - the browser closed the connection (Safari does so to background tabs), or
 * another tab asked for a version change: the connection is closed, to be reopened on next use
 */
export const openDatabase = (
  { indexedDB, database, openTimeoutMs, _setTimer, _clearTimer }: Resolved,
  onClose: () => void,
) =>
  new Promise<IDBPDatabase>((resolve, reject) => {
    let blocked = false;
    let done = false;
    const fail = (reason: OpenFailure['_reason'], message: string, cause?: unknown) => {
      if (done) return;
      done = true;
      _clearTimer(timer);
      reject({ _reason: reason, _message: message, _cause: cause } satisfies OpenFailure);
    };
    // `blocked` is not final (the other connection may still close): the timer decides.
    const timer = _setTimer(
      () => (blocked ? fail('blocked', 'blocked by another tab') : fail('timeout', 'open() hung')),
      openTimeoutMs,
    );
    const attempt = (version?: number) => {
      try {
        const request = indexedDB!.open(database, version);
        request.onupgradeneeded = () => {
          const db = request.result;
          if (!db.objectStoreNames.contains(META_STORE)) {
            db.createObjectStore(CHUNK_STORE, { autoIncrement: true }).createIndex('id', 'ids', {
              multiEntry: true,
            });
            db.createObjectStore(META_STORE);
          }
        };
        request.onblocked = () => (blocked = true);
        request.onerror = (event) => {
          event.preventDefault(); // not an uncaught error in the app's console
          fail('failed', 'open() failed', request.error);
        };
        request.onsuccess = () => {
          const db = request.result;
          if (done) return db.close(); // too late: this page already fell back to memory
          if (!db.objectStoreNames.contains(META_STORE)) {
            db.close();
            return attempt(db.version + 1);
          }
          done = true;
          _clearTimer(timer);
          db.onclose = db.onversionchange = () => {
            db.close();
            onClose();
          };
          resolve(wrap(db));
        };
      } catch (error) {
        fail('failed', 'open() failed', error);
      }
    };
    attempt();
  });
