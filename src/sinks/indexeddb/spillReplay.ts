import type { AppendResult, BufferEntry } from './bufferStore.js';
import type { DrainLockManager } from './drainLock.js';
import type { Spill, SpillRecord } from './spill.js';
import type { TieredStore } from './tieredStore.js';

const unique = (records: readonly SpillRecord[]): BufferEntry[] => {
  const seen = new Set<string>();
  const out: BufferEntry[] = [];
  for (const r of records) {
    if (seen.has(r.event.id)) continue;
    seen.add(r.event.id);
    out.push({ event: r.event, bytes: r.bytes });
  }
  return out;
};

/**
 * Moves every page's spill of this database into the buffer (on start). Events already stored
 * (an exit write that did commit) are skipped by id. Under a Web Lock where there is one, so two
 * pages starting together do not both replay the same spill.
 */
export async function absorbSpills(
  spill: Spill,
  store: TieredStore,
  o: { readonly locks: DrainLockManager | null; readonly database: string },
  now: () => number,
  counted: (r: AppendResult & { added: number }) => void,
): Promise<void> {
  const run = async () => {
    const chunks = spill.readAll();
    if (chunks.length === 0) return;
    const entries = unique(chunks.flatMap((c) => c.records));
    counted(await store.appendMissing(entries, now()));
    spill.remove(chunks.map((c) => c.key)); // only after the append committed
  };
  if (!o.locks) return run();
  try {
    await o.locks.request(`mvx-logger:spill:${o.database}`, {}, run);
  } catch {
    await run(); // the lock itself failed (not `run`, which never rejects): replay without it
  }
}

/**
 * Moves this page's own spill back after the page lived on past an exit (it was only hidden).
 * Events marked in flight are dropped: their write completed while the page lived.
 */
export async function reabsorbOwnSpill(
  spill: Spill,
  store: TieredStore,
  now: () => number,
  counted: (r: AppendResult & { added: number }) => void,
): Promise<void> {
  const chunks = spill.readOwn();
  const entries = unique(chunks.flatMap((c) => c.records.filter((r) => !r.inFlight)));
  if (entries.length) counted(await store.appendMissing(entries, now()));
  spill.remove(chunks.map((c) => c.key));
}
