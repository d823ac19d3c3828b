import type { LogEvent } from '../../core/event.js';
import type { AsyncLogSinkStats, DropReason } from '../asyncStats.js';
import type { AppendCounts, BufferedEvent } from './chunk.js';
import { createAckRecord } from './ackRecord.js';
import { createDrainer, type DrainCounters, type Drainer } from './drainLoop.js';
import type { Resolved } from './indexedDbOptions.js';
import type { IndexedDbSinkStats } from './indexedDbStats.js';
import { createSpill, type SpillRow } from './spill.js';
import { createStore } from './store.js';
import { onBackForwardCache } from './backForwardCache.js';
import { defaultPageLifecycle } from '../pageExit.js';
import { ignore } from './storeTransaction.js';

/** What `IndexedDbSink`'s methods call. */
export interface Internals {
  _write(batch: readonly LogEvent[]): Promise<void>;
  _exit(batch: readonly LogEvent[]): void;
  _start(): Promise<void>;
  _stop(): Promise<void>;
  /** Resolves when `_start()` has settled (the database opened and its totals read, or fell back). */
  _started: Promise<void>;
  _stats(): Omit<IndexedDbSinkStats, keyof AsyncLogSinkStats | 'evicted'>;
  _events(): Promise<LogEvent[]>;
  _clear(): Promise<void>;
}

/** A page's own spill that outlived an exit (the page was only hidden) moves back after this. */
const REABSORB_DELAY_MS = 1000;
/** Events per read when exporting: one read each, so a large export has no long task. */
const EXPORT_PAGE_EVENTS = 500;

/**
 * The state and behaviour of one `IndexedDbSink` (its class holds only the `AsyncLogSink` hooks):
 * storage tiers, exit spill, drainer, counters.
 * @param sizes - estimated bytes per event, measured at `log()`
 */
export function createBuffer(
  options: Resolved,
  report: (kind: string, message: string, error?: unknown) => void,
  count: (reason: DropReason, n: number) => void,
  sizes: WeakMap<LogEvent, number>,
): Internals {
  const { storage, locks, database, drainTo, now } = options;
  const store = createStore(options, report);
  const spill = createSpill(storage, database, options.maxSpillBytes);
  const acks = createAckRecord(storage, database);
  const spilledMaybeStored = new Set<string>(); // ids spilled as maybe-stored since the last move back
  // Queued events an exit of this page beaconed or kept. Measured in Firefox (1 of 70 traced
  // three-tabs runs): the close cut the sink's exit listener short after its beacon, before the
  // queue let go of those events, and the next exit signal beaconed them again.
  const exited = new WeakSet<LogEvent>();
  let drainer: Drainer | undefined;
  let writing: BufferedEvent[] = [];
  let writeCopyKey: string | undefined; // the spilled copy of a hidden page's write in flight
  let reabsorbing: Promise<void> | undefined;
  const counters: DrainCounters = { _drained: 0, _failures: 0, _outages: 0 };
  let spilled = 0;
  let replayed = 0;
  let stopListening = ignore;
  let reabsorbTimer: unknown;
  let markStarted = () => {};
  const lifecycle =
    options.pageLifecycle === false ? undefined : (options.pageLifecycle ?? defaultPageLifecycle());
  const hidden = () => lifecycle?.document.visibilityState === 'hidden';
  const started = new Promise<void>((resolve) => (markStarted = resolve));

  const buffered = (event: LogEvent): BufferedEvent => ({
    _event: event,
    _bytes: sizes.get(event) ?? 1024,
  });
  const countAppend = (counts: AppendCounts, isReplay?: boolean) => {
    if (isReplay) replayed += counts._added;
    if (counts._evicted) count('evicted', counts._evicted);
    if (counts._expired) count('expired', counts._expired);
  };
  /** Appends events that may be stored already (skipping their ids) and wakes the drainer. */
  const appendMaybeStored = (entries: BufferedEvent[], isReplay?: boolean) =>
    store._append(entries, now(), true).then((counts) => {
      countAppend(counts, isReplay);
      drainer?._stored();
    });
  /** Moves spilled rows into the buffer, then deletes their keys. */
  const replaySpill = async (keys: string[], ownKeys?: boolean) => {
    // This page's own rows that may be stored are still held here (written, or in memory); rows
    // of events drained meanwhile are recorded as acknowledged.
    const acknowledged = acks._all();
    const rows = spill
      ._read(keys)
      .filter((row) => !(ownKeys && row.maybeStored) && !acknowledged.has(row.event.id));
    if (rows.length)
      await appendMaybeStored(
        rows.map((row) => ({ _event: row.event, _bytes: row.bytes })),
        true,
      );
    spill._remove(keys);
  };
  /** Moves this page's spill back after it lived on past an exit (single flight). */
  const reabsorb = () =>
    (reabsorbing ??= replaySpill(
      spill._keys().filter((key) => key != writeCopyKey),
      true,
    ).then(() => {
      reabsorbing = undefined;
      spilledMaybeStored.clear();
    }));
  /** Takes back beaconed events whose fallback request failed while the page lived on. */
  const restore = (events: readonly LogEvent[]) => void appendMaybeStored(events.map(buffered));

  /** Hands `entries` to the exit transport; returns how many from the front it took. */
  const beacon = (entries: BufferedEvent[]): number => {
    let taken = 0;
    try {
      const transport = entries.length ? drainer?._exitTransport() : undefined;
      taken = Math.floor(
        transport?.sendOnExit(
          entries.map((entry) => entry._event),
          restore,
        ) ?? 0,
      );
    } catch (error) {
      report('drain-exit-threw', 'sendOnExit threw; spilling', error);
    }
    return taken > 0 ? Math.min(taken, entries.length) : 0;
  };

  return {
    _started: started,

    async _write(batch) {
      // Marked as being written before any await: an exit meanwhile spills them as maybe-stored.
      writing = batch.map(buffered);
      const mustReabsorb = spill._pending();
      // A hidden page may be closed at any moment, and the close may stop its exit listener (a
      // Firefox tab closed over WebDriver BiDi lost a write that had not committed): its write is
      // copied to the spill at once, marked maybe-stored, and the copy removed once it settled.
      const copyKey = hidden()
        ? spill._write(
            writing.map((entry) => ({ bytes: entry._bytes, maybeStored: 1, event: entry._event })),
          )._key
        : undefined;
      writeCopyKey = copyKey;
      try {
        if (mustReabsorb) await reabsorb();
        countAppend(await store._append(writing, now()));
      } finally {
        writing = [];
        if (copyKey) spill._remove([copyKey]);
        writeCopyKey = undefined;
      }
      drainer?._stored();
    },

    /**
     * The synchronous exit path. Events that exist only in this page (queued, or idle in the
     * memory tier) go to the beacon first, oldest first, while the receiver is known healthy.
     * Queued events it does not take are written to IndexedDB in committed one-step transactions
     * (all requests, then the commit: they complete without this page's script), after aborting
     * the multi-step transactions in flight, and spilled to `localStorage` too, marked
     * maybe-stored; without an open connection they are only spilled. Events that may be stored
     * already (an IndexedDB write in flight, memory events being uploaded) are only ever spilled,
     * marked maybe-stored: a replay skips those that got stored, so an event is beaconed or kept,
     * never both. Events already in IndexedDB are not touched: the next drainer sends them.
     * Chromium kills a closing page whose exit outlasts its unload timeout (500 ms, measured):
     * the writes are issued before the spill, and each part that was committed survives.
     */
    _exit(batch) {
      const uploading = drainer?._uploadingIds();
      const maybeStored = writeCopyKey ? [] : [...writing]; // (a hidden page's write: copied)
      const idle: BufferedEvent[] = [];
      for (const entry of store._resident())
        if (!spilledMaybeStored.has(entry._event.id))
          (uploading?.has(entry._event.id) ? maybeStored : idle).push(entry);
      const queued = batch.filter((event) => !exited.has(event)).map(buffered);
      const beaconed = beacon([...idle, ...queued]);
      const beaconedIdle = Math.min(beaconed, idle.length);
      if (beaconedIdle) void store._delete('memory', idle.slice(0, beaconedIdle));
      const queuedLeft = queued.slice(beaconed - beaconedIdle);
      for (const entry of queued.slice(0, beaconed - beaconedIdle)) exited.add(entry._event);
      // A transaction that fails while the page lives on: its events are appended again.
      const written = store._writeAtOnce(queuedLeft, (failed) =>
        restore(failed.map((entry) => entry._event)),
      );
      const atRisk: SpillRow[] = [...maybeStored, ...idle.slice(beaconedIdle)]
        .filter((entry) => !spilledMaybeStored.has(entry._event.id))
        .map((entry) => ({ bytes: entry._bytes, maybeStored: 1, event: entry._event }));
      const exitRows: SpillRow[] = queuedLeft.map((entry, i) => ({
        bytes: entry._bytes,
        maybeStored: i < written ? 1 : 0,
        event: entry._event,
      }));
      // The spill keeps the last rows that fit: the one-step writes go first (they commit without
      // this page's script in Chromium; a WebKit tab closed after a burst lost them, and Firefox a
      // transaction started in pagehide: e2e/indexeddbTabs.spec.ts), then the write in flight,
      // which dies with the page, then what exists nowhere else.
      const rows = [...exitRows.slice(0, written), ...atRisk, ...exitRows.slice(written)];
      const { _written, _dropped } = spill._write(rows);
      for (const entry of queuedLeft) exited.add(entry._event);
      // The spill keeps the newest; count the dropped that existed nowhere else.
      let lost = 0;
      rows.forEach((row, i) => {
        if (i < _dropped) lost += row.maybeStored ? 0 : 1;
        else if (row.maybeStored) spilledMaybeStored.add(row.event.id);
      });
      if (lost) {
        count('overflow', lost);
        report('spill-overflow', `${lost} events fit neither beacon nor spill`);
      }
      spilled += _written;
      // A page that lives on (it was only hidden) moves its spill back soon: rows of events it
      // still holds are dropped then, before those events are drained and could be replayed.
      if (_written) {
        options._clearTimer(reabsorbTimer);
        reabsorbTimer = options._setTimer(reabsorb, REABSORB_DELAY_MS);
      }
    },

    async _start() {
      // After the sink's own exit listeners (registered before `onStarting`): the exit path's
      // one-step write is issued before the connection closes for the back/forward cache.
      stopListening = onBackForwardCache(
        options.pageLifecycle,
        store._suspend,
        store._resume,
        (isShown) => drainer?._hold(!isShown),
      );
      try {
        await store._open();
        // Every page's spill, once: under a Web Lock, so two pages starting together do not both
        // replay it.
        const replayAll = () => replaySpill(spill._keys(true));
        await new Promise((resolve) =>
          resolve(
            locks ? locks.request(`mvx-logger:spill:${database}`, {}, replayAll) : replayAll(),
          ),
        ).catch(replayAll);
        if (drainTo)
          drainer = createDrainer(options, store, drainTo, report, count, counters, acks);
      } finally {
        markStarted();
      }
    },

    async _stop() {
      await started; // close() may come while the database is still opening
      options._clearTimer(reabsorbTimer);
      stopListening();
      await drainer?._stop();
      // An upload still in flight is not waited for; its deletion (if acknowledged) still commits.
      void (drainer?._done ?? started).then(store._close);
    },

    _stats: () => {
      const totals = store._totals();
      return {
        storedEvents: totals._events,
        storedBytes: totals._bytes,
        drained: counters._drained,
        drainFailures: counters._failures,
        drainOutages: counters._outages,
        spilled,
        replayed,
        tier: store._tier(),
        drainer: drainer?._mayDrain() ?? false,
      };
    },

    async _events() {
      await started;
      if (spill._pending()) await reabsorb();
      const events: LogEvent[] = [];
      for (const tier of store._tiers())
        for (
          let afterKey = 0, page;
          (page = await store._read(tier, afterKey, EXPORT_PAGE_EVENTS)).length;
        ) {
          for (const entry of page) events.push(entry._event);
          afterKey = page.at(-1)!._chunkKey!;
        }
      return events;
    },

    async _clear() {
      await started;
      await store._clear();
      spill._remove(spill._keys(true));
    },
  };
}
