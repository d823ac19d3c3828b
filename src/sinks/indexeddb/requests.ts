import { unwrap, type IDBPTransaction } from 'idb';

// Relaxed durability: committed data survives a crash of the page or the browser (it is handed to the
// OS), only a power loss can lose it; strict durability would fsync every batch.
export const WRITE_OPTIONS = { durability: 'relaxed' } as const;

/** Does nothing (a rejection handler for promises nobody awaits). */
export const noop = (): void => {};

/**
 * Marks `p` handled and returns it: idb returns a promise per request, and one that rejects with
 * its transaction must not surface as an unhandled rejection in the app.
 */
export const quiet = <T>(p: Promise<T>): Promise<T> => {
  p.catch(noop);
  return p;
};

/**
 * Asks for the commit as soon as the last request is issued instead of when the transaction goes
 * idle. Measured in Chromium (e2e/indexeddbTabs.spec.ts): a transaction started in `pagehide`
 * committed 5/5 times with `commit()` and 1/5 without when the tab closed, so this shortens the
 * window in which a write dies with its page. Missing in Safari < 15: the old auto-commit applies.
 */
export function commitNow(tx: IDBPTransaction<unknown, string[], 'readwrite'>): void {
  try {
    unwrap(tx).commit?.();
  } catch {
    // already committing or finished
  }
}
