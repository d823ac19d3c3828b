import { wrap, type IDBPDatabase } from 'idb';
import type { Resolved } from './indexedDbOptions.js';

/** The object stores: chunk records (auto-increment keys, index `id` on their ids), and totals. */
export const STORES = ['chunks', 'meta'];

/**
 * Opens (creating or repairing the schema of) the buffer database. A database of that name without
 * our stores (other code's) is upgraded to its next version. Rejects with `{ k, m, cause }`: how it
 * failed (`blocked` by another tab's connection, `timeout` — some Safari versions never settle
 * `open()` — or `failed`) and a message.
 * @param onClose - the browser closed the connection (Safari does so to background tabs), or
 * another tab asked for a version change: the connection is closed, to be reopened on next use
 */
export const openDatabase = (
  { indexedDB, database, openTimeoutMs, setT, clearT }: Resolved,
  onClose: () => void,
) =>
  new Promise<IDBPDatabase>((resolve, reject) => {
    let blocked = false;
    let done = false;
    const fail = (k: string, m: string, cause?: unknown) => {
      if (done) return;
      done = true;
      clearT(timer);
      reject({ k, m, cause });
    };
    // `blocked` is not final (the other connection may still close): the timer decides.
    const timer = setT(
      () => (blocked ? fail('blocked', 'blocked by another tab') : fail('timeout', 'open() hung')),
      openTimeoutMs,
    );
    const attempt = (version?: number) => {
      try {
        const r = indexedDB!.open(database, version);
        r.onupgradeneeded = () => {
          const db = r.result;
          // Both stores are created together: `meta` stands for the schema.
          if (!db.objectStoreNames.contains(STORES[1])) {
            db.createObjectStore(STORES[0], { autoIncrement: true }).createIndex('id', 'ids', {
              multiEntry: true,
            });
            db.createObjectStore(STORES[1]);
          }
        };
        r.onblocked = () => (blocked = true);
        r.onerror = (event) => {
          event.preventDefault(); // not an uncaught error in the app's console
          fail('failed', 'open() failed', r.error);
        };
        r.onsuccess = () => {
          const db = r.result;
          if (done) return db.close(); // too late: this page already fell back to memory
          if (!db.objectStoreNames.contains(STORES[1])) {
            db.close();
            return attempt(db.version + 1);
          }
          done = true;
          clearT(timer);
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
