import { createEventId } from '../../core/eventId.js';
import type { LogEvent } from '../../core/event.js';
import type { LogSinkDescriptor, LogSinkTerminator } from '../../core/sink.js';
import { AsyncLogSink } from '../asyncSink.js';
import type { DispatchOutcome } from '../dispatchOutcome.js';
import { defaultPageLifecycle, onPageExit } from '../pageExit.js';
import type { BufferEntry, StorageTier } from './bufferStore.js';
import type { IndexedDbSinkStats } from './indexedDbStats.js';
import { Drainer } from './drainer.js';
import { collectExport, exportFilter, type IndexedDbExportOptions } from './export.js';
import { exitHandoff } from './exitHandoff.js';
import {
  INDEXEDDB_SINK_DEFAULTS,
  resolveIndexedDbOptions,
  withWriteDefaults,
  type IndexedDbSinkOptions,
  type ResolvedIndexedDbOptions,
} from './indexedDbOptions.js';
import { Spill } from './spill.js';
import { absorbSpills, reabsorbOwnSpill } from './spillReplay.js';
import { TieredStore } from './tieredStore.js';

export type { IndexedDbSinkStats } from './indexedDbStats.js';

const RESPILL_DELAY_MS = 1000; // a page that lives on after an exit moves its spill back soon

/**
 * A durable write-ahead buffer in IndexedDB, optionally draining to an upload sink: events are
 * appended in one transaction per batch within ~25 ms of `log()`, survive reloads, tab closes and
 * crashes, and are deleted only after the upload was acknowledged. One tab drains at a time (Web
 * Locks); on page exit, what is not yet written goes to the upload sink's beacon or to a bounded
 * `localStorage` spill that the next page moves back. Falls back to memory when IndexedDB is
 * missing or broken, and says so once through diagnostics.
 *
 * @example
 * const upload = new UploadSink({ url: '/collect' });
 * const log = new LogContext({ namespace: 'app', sinks: { buffer: new IndexedDbSink({ drainTo: upload }) } });
 */
export class IndexedDbSink extends AsyncLogSink {
  private readonly o: ResolvedIndexedDbOptions;
  private readonly store: TieredStore;
  private readonly spill: Spill;
  private readonly clock: () => number;
  private readonly random: () => number;
  private readonly timers: {
    setTimeout: (fn: () => void, ms: number) => unknown;
    clearTimeout: (h: unknown) => void;
  };
  private readonly sizes = new WeakMap<LogEvent, number>();
  private readonly ready: Promise<void>;
  private drainer: Drainer | undefined;
  private writing: { entries: readonly BufferEntry[]; tier: StorageTier } | undefined;
  private exitSpilled = new Set<string>();
  private respill: unknown;
  private replaying: Promise<void> | undefined;
  private detachExit: (() => void) | undefined;
  private drained = 0;
  private spilled = 0;
  private replayed = 0;
  private resolveReady: () => void = () => {};

  /**
   * @param options - see {@link IndexedDbSinkOptions}
   * @throws LogConfigError when an option is invalid
   */
  constructor(options: IndexedDbSinkOptions = {}) {
    super(withWriteDefaults(options));
    const o = (this.o = resolveIndexedDbOptions(options));
    this.clock = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    const timers = {
      setTimeout:
        options.setTimeout ?? ((fn: () => void, ms: number) => globalThis.setTimeout(fn, ms)),
      clearTimeout:
        options.clearTimeout ??
        ((h: unknown) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>)),
    };
    this.timers = timers;
    const report = (kind: string, message: string, error?: unknown) =>
      this.report(kind, message, error);
    this.store = new TieredStore({
      factory: o.indexedDB,
      database: o.database,
      bounds: o,
      chunkEvents: o.drainBatchEvents,
      chunkBytes: o.drainBatchBytes,
      openTimeoutMs: o.openTimeoutMs,
      timers,
      report,
    });
    this.spill = new Spill(o.storage, o.database, createEventId(), o.maxSpillBytes);
    this.ready = new Promise((resolve) => (this.resolveReady = resolve));
    // Start now, not on the first log(): events stored by earlier pages must drain even if this
    // page never logs.
    this.start();
    // The base hands off only a non-empty queue on exit; a write in flight or memory-tier events
    // need the exit path even when nothing is queued.
    const lifecycle = options.pageLifecycle ?? defaultPageLifecycle();
    try {
      if (lifecycle)
        this.detachExit = onPageExit(lifecycle, { exit: () => this.exit([]), resume() {} });
    } catch (error) {
      report('lifecycle-failed', 'page exit listeners could not be attached', error);
    }
  }

  /** Registry identity: one buffer per database; bounds and the drain target must match. */
  static buildDescriptor(options: IndexedDbSinkOptions = {}): LogSinkDescriptor {
    const d = INDEXEDDB_SINK_DEFAULTS;
    return {
      sinkType: 'indexeddb',
      resourceKey: ['indexeddb', options.database ?? d.database],
      configKey: [
        options.maxEvents ?? d.maxEvents,
        options.maxBytes ?? d.maxBytes,
        options.maxAgeMs ?? d.maxAgeMs,
        options.drainTo ?? null,
      ],
    };
  }

  /** Registry factory: the terminator is `close()`. */
  static create(options: IndexedDbSinkOptions = {}): [IndexedDbSink, LogSinkTerminator] {
    const sink = new IndexedDbSink(options);
    return [sink, () => sink.close()];
  }

  /**
   * The stored events (all tabs of this database), oldest first, after writing what is queued.
   * @param options - format (`'ndjson'` string or `'array'`) and filters
   * @throws LogConfigError on invalid options (synchronously)
   */
  export(options: IndexedDbExportOptions & { format: 'array' }): Promise<LogEvent[]>;
  export(options?: IndexedDbExportOptions & { format?: 'ndjson' }): Promise<string>;
  export(options?: IndexedDbExportOptions): Promise<string | LogEvent[]>;
  export(options: IndexedDbExportOptions = {}): Promise<string | LogEvent[]> {
    const filter = exportFilter(options);
    const collect = async () => {
      await this.flush();
      await this.ready;
      if (this.spill.pending) await this.reabsorb();
      return collectExport(this.store, filter);
    };
    return collect();
  }

  /** Deletes every stored and spilled event of this database (after writing what is queued). */
  async clear(): Promise<void> {
    await this.flush();
    await this.ready;
    await this.store.clear();
    this.spill.remove(this.spill.readAll().map((c) => c.key));
  }

  override stats(): IndexedDbSinkStats {
    const base = super.stats();
    const totals = this.store.totals();
    return {
      ...base,
      storedEvents: totals.events,
      storedBytes: totals.bytes,
      evicted: base.dropped.evicted,
      drained: this.drained,
      spilled: this.spilled,
      replayed: this.replayed,
      tier: this.store.tier,
      drainer: this.drainer?.mayDrain() ?? false,
    };
  }

  protected override encodedSize(event: LogEvent): number {
    const n = super.encodedSize(event);
    this.sizes.set(event, n); // measured once at log(), reused for the stored record
    return n;
  }

  protected override async onStarting(): Promise<void> {
    try {
      await this.store.open();
      await absorbSpills(this.spill, this.store, this.o, this.clock, (r) => this.counted(r, true));
      const transport = this.o.drainTo;
      if (transport) {
        this.drainer = new Drainer(this.o, {
          transport,
          store: this.store,
          now: this.clock,
          random: this.random,
          ...this.timers,
          onDrained: (n) => (this.drained += n),
          onDropped: (reason, n) => this.count(reason, n),
          report: (kind, message, error) => this.report(kind, message, error),
        });
      }
    } finally {
      this.resolveReady();
    }
  }

  protected override async onStopped(): Promise<void> {
    await this.ready; // close() may come while the database is still opening
    this.timers.clearTimeout(this.respill);
    this.detachExit?.();
    const drainer = this.drainer;
    if (!drainer) return this.store.close();
    await drainer.stop();
    // An upload still in flight is not waited for; its deletion (if acknowledged) still commits.
    void drainer.finished.then(() => this.store.close());
  }

  protected async dispatch(batch: readonly LogEvent[]): Promise<DispatchOutcome> {
    const entries = batch.map((event) => ({
      event,
      bytes: this.sizes.get(event) ?? this.encodedSize(event),
    }));
    // Marked as being written before any await, so an exit meanwhile spills them.
    this.writing = { entries, tier: this.store.tier };
    try {
      if (this.spill.pending) await this.reabsorb();
      this.counted(await this.store.append(entries, this.clock()));
    } finally {
      this.writing = undefined;
    }
    this.drainer?.stored();
    return { ok: true };
  }

  protected override dispatchOnExit(batch: readonly LogEvent[]): number {
    this.exit(batch);
    return batch.length; // every event was beaconed, spilled, or counted as overflow
  }

  private exit(batch: readonly LogEvent[]): void {
    try {
      const result = exitHandoff({
        batch: batch.map((event) => ({ event, bytes: this.sizes.get(event) ?? 1024 })),
        writing: this.writing?.tier === 'indexeddb' ? this.writing.entries : [],
        memory: this.store.memory,
        sendingUpToKey: this.drainer?.sendingUpToKey,
        transport: this.drainer?.exitTransport(),
        spill: this.spill,
        alreadySpilled: this.exitSpilled,
        restore: (events) => this.restore(events),
        report: (kind, message, error) => this.report(kind, message, error),
      });
      this.spilled += result.spilled;
      if (result.lost) this.count('overflow', result.lost);
      if (result.spilled) {
        this.timers.clearTimeout(this.respill);
        this.respill = this.timers.setTimeout(() => void this.reabsorb(), RESPILL_DELAY_MS);
      }
    } catch (error) {
      this.report('exit-failed', 'the exit hand-off failed', error);
    }
  }

  /** Stores events again whose exit hand-off failed after the page lived on. */
  private restore(events: readonly LogEvent[]): void {
    const entries = events.map((event) => ({ event, bytes: this.sizes.get(event) ?? 1024 }));
    void this.store.appendMissing(entries, this.clock()).then((r) => {
      this.counted(r);
      this.drainer?.stored();
    });
  }

  /** Moves this page's spill back (single flight: a dispatch and the timer may both ask). */
  private reabsorb(): Promise<void> {
    this.replaying ??= reabsorbOwnSpill(this.spill, this.store, this.clock, (r) =>
      this.counted(r, true),
    )
      .then(() => {
        this.exitSpilled.clear();
        this.drainer?.stored();
      })
      .catch((error: unknown) =>
        this.report('spill-replay-failed', 'moving spilled events back failed', error),
      )
      .finally(() => (this.replaying = undefined));
    return this.replaying;
  }

  private counted(r: { evicted: number; expired: number; added?: number }, replay = false): void {
    if (replay) this.replayed += r.added ?? 0;
    if (r.evicted) this.count('evicted', r.evicted);
    if (r.expired) this.count('expired', r.expired);
  }
}
