import type { LogEvent } from '../../core/event.js';
import type { AsyncLogSinkStats, DropReason } from '../asyncStats.js';
import type { Counts, Entry } from './chunk.js';
import { createDrainer, type Drainer } from './drainLoop.js';
import type { Resolved } from './indexedDbOptions.js';
import type { IndexedDbSinkStats } from './indexedDbStats.js';
import { createSpill, type SpillRow } from './spill.js';
import { createStore } from './store.js';

/** What `IndexedDbSink`'s methods call. */
export interface Internals {
  write(batch: readonly LogEvent[]): Promise<void>;
  exit(batch: readonly LogEvent[]): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Resolves when start() has settled (the database opened and its totals read, or fell back). */
  started: Promise<void>;
  stats(): Omit<IndexedDbSinkStats, keyof AsyncLogSinkStats | 'evicted'>;
  events(): Promise<LogEvent[]>;
  clear(): Promise<void>;
}

/**
 * The state and behaviour of one `IndexedDbSink` (its class holds only the `AsyncLogSink` hooks):
 * storage tiers, exit spill, drainer, counters.
 * @param sizes - estimated bytes per event, measured at `log()`
 */
export function createBuffer(
  o: Resolved,
  report: (kind: string, message: string, error?: unknown) => void,
  count: (reason: DropReason, n: number) => void,
  sizes: WeakMap<LogEvent, number>,
): Internals {
  const { storage, locks, database, drainTo } = o;
  const { now } = o;
  const store = createStore(o, report);
  const spill = createSpill(storage, database, o.maxSpillBytes);
  const exitSpilled = new Set<string>(); // maybe-stored ids spilled since the last move back
  let drainer: Drainer | undefined;
  let writing: Entry[] = [];
  let replaying: Promise<void> | undefined;
  let drained = 0;
  let spilled = 0;
  let replayed = 0;
  let respill: unknown;
  let ready = () => {};
  const started = new Promise<void>((r) => (ready = r));

  const entry = (e: LogEvent): Entry => ({ e, b: sizes.get(e) ?? 1024 });
  const counted = ([evicted, expired, added]: Counts, replay?: boolean) => {
    replayed += replay ? added : 0;
    if (evicted) count('evicted', evicted);
    if (expired) count('expired', expired);
  };
  /** Appends events that may be stored already (skipping their ids) and wakes the drainer. */
  const add = (x: Entry[], replay?: boolean) =>
    store.append(x, now(), true).then((r) => {
      counted(r, replay);
      drainer?.stored();
    });
  /** Moves spilled rows into the buffer, then deletes their keys. */
  const take = async (keys: string[], own?: boolean) => {
    // This page's own rows marked 1 are still held here (their write completed, or in memory).
    const rows = spill.read(keys).filter((r) => !own || !r[1]);
    if (rows.length)
      await add(
        rows.map(([b, , e]) => ({ e, b })),
        true,
      );
    spill.remove(keys);
  };
  /** Moves this page's spill back after it lived on past an exit (single flight). */
  const reabsorb = () =>
    (replaying ??= take(spill.keys(), true).then(() => {
      replaying = undefined;
      exitSpilled.clear();
    }));
  /** Takes back beaconed events whose fallback request failed while the page lived on. */
  const restore = (events: readonly LogEvent[]) => void add(events.map(entry));

  const buffer: Internals = {
    started,

    async write(batch) {
      // Marked as being written before any await: an exit meanwhile spills them as maybe-stored.
      writing = batch.map(entry);
      try {
        if (spill.pending()) await reabsorb();
        counted(await store.append(writing, now()));
      } finally {
        writing = [];
      }
      drainer?.stored();
    },

    /**
     * The synchronous exit path. Events that exist only in this page (queued, or idle in the
     * memory tier) go to the beacon first, oldest first, while the receiver is known healthy;
     * what it does not take is spilled. Events that may be stored already (an IndexedDB write in
     * flight, memory events being uploaded) are only ever spilled, marked so that a replay skips
     * those that got stored: an event is beaconed or kept, never both. Events already in IndexedDB
     * are not touched: the next drainer sends them.
     */
    exit(batch) {
      const sending = drainer?.sending();
      const maybe = [...writing];
      const idle: Entry[] = [];
      for (const x of store.resident())
        if (!exitSpilled.has(x.e.id)) (sending?.has(x.e.id) ? maybe : idle).push(x);
      const queued = batch.map(entry);
      const all = [...idle, ...queued];
      let n = 0;
      try {
        const t = all.length ? drainer?.beacon() : undefined;
        n = Math.floor(
          t?.sendOnExit(
            all.map((x) => x.e),
            restore,
          ) ?? 0,
        );
      } catch (error) {
        report('drain-exit-threw', 'sendOnExit threw; spilling', error);
      }
      n = n > 0 ? Math.min(n, all.length) : 0;
      const handedIdle = Math.min(n, idle.length);
      if (handedIdle) void store.del(false, idle.slice(0, handedIdle));
      const rows: SpillRow[] = [...maybe, ...idle.slice(handedIdle)]
        .filter((x) => !exitSpilled.has(x.e.id))
        .map((x) => [x.b, 1, x.e]);
      for (const x of queued.slice(n - handedIdle)) rows.push([x.b, 0, x.e]);
      const [written, dropped] = spill.write(rows);
      // The spill keeps the newest; count the dropped that existed nowhere else.
      let lost = 0;
      rows.forEach((r, i) => (i < dropped ? r[1] || lost++ : r[1] && exitSpilled.add(r[2].id)));
      if (lost) {
        count('overflow', lost);
        report('spill-overflow', `${lost} events fit neither beacon nor spill`);
      }
      spilled += written;
      // A page that lives on (it was only hidden) moves its spill back soon: rows of events it
      // still holds are dropped then, before those events are drained and could be replayed.
      if (written) {
        o.clearT(respill);
        respill = o.setT(reabsorb, 1000);
      }
    },

    async start() {
      try {
        await store.open();
        // Every page's spill, once: under a Web Lock, so two pages starting together do not both
        // replay it.
        const run = () => take(spill.keys(true));
        await new Promise((r) =>
          r(locks ? locks.request(`mvx-logger:spill:${database}`, {}, run) : run()),
        ).catch(run);
        if (drainTo)
          drainer = createDrainer(o, store, drainTo, report, count, (n) => (drained += n));
      } finally {
        ready();
      }
    },

    async stop() {
      await started; // close() may come while the database is still opening
      o.clearT(respill);
      await drainer?.stop();
      // An upload still in flight is not waited for; its deletion (if acknowledged) still commits.
      void (drainer?.done ?? started).then(store.close);
    },

    stats: () => {
      const [storedEvents, storedBytes] = store.totals();
      return {
        storedEvents,
        storedBytes,
        drained,
        spilled,
        replayed,
        tier: store.idb() ? 'indexeddb' : 'memory',
        drainer: drainer?.mayDrain() ?? false,
      };
    },

    async events() {
      await started;
      if (spill.pending()) await reabsorb();
      const out: LogEvent[] = [];
      // In pages of about 500 events, one read each, so a large export has no long task.
      for (const t of store.tiers())
        for (let after = 0, page; (page = await store.read(t, after, 500)).length;) {
          for (const x of page) out.push(x.e);
          after = page.at(-1)!.k!;
        }
      return out;
    },

    async clear() {
      await started;
      await store.clear();
      spill.remove(spill.keys(true));
    },
  };

  return buffer;
}
