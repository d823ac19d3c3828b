import type { LogEvent } from '../../core/event.js';
import type { LogSinkDescriptor, LogSinkTerminator } from '../../core/sink.js';
import { AsyncLogSink } from '../asyncSink.js';
import type { DispatchOutcome } from '../dispatchOutcome.js';
import { createBuffer, type Internals } from './buffer.js';
import { exportFilter, type IndexedDbExportOptions } from './export.js';
import {
  databaseName,
  IDB_DEFAULTS,
  resolveOptions,
  type IndexedDbSinkOptions,
} from './indexedDbOptions.js';
import type { IndexedDbSinkStats } from './indexedDbStats.js';
import { asyncOptionsOf } from './optionNames.js';
import type { LogBatchTransport } from './transport.js';

export type { IndexedDbSinkStats } from './indexedDbStats.js';

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
 * @group Sinks
 */
export class IndexedDbSink extends AsyncLogSink {
  /** The name configuration errors use (survives minification, unlike the class name). */
  static readonly sinkName = 'IndexedDbSink';
  /** It passes the base a resolved options object: `resolveOptions` owns the option names. */
  static override readonly optionNames = null;

  // Set by the constructor; declared only (`declare`): no field definitions to emit.
  /**
   * The IndexedDB database name: the `database` option, else `'mvx-logger:'` + the `url` of the
   * `drainTo` upload sink, else `'mvx-logger'`.
   */
  declare readonly database: string;
  /** The transport this buffer drains to (`drainTo`), if any. */
  declare readonly drainTo: LogBatchTransport | undefined;
  /** A hidden page's events are written at once: see `e2e/indexeddbExact.spec.ts` (three tabs). */
  protected override readonly dispatchesWhenHidden = true;
  readonly #sizes = new WeakMap<LogEvent, number>();
  readonly #buffer: Internals;

  /**
   * @param options - see {@link IndexedDbSinkOptions}
   * @throws LogConfigError when an option is invalid
   */
  constructor(options: IndexedDbSinkOptions = {}) {
    const o = resolveOptions(options);
    super(asyncOptionsOf(o));
    this.database = o.database;
    this.drainTo = o.drainTo;
    this.#buffer = createBuffer(
      o,
      (kind, message, error) => this.report(kind, message, error),
      (reason, n) => this.count(reason, n),
      this.#sizes,
    );
    // Start now, not on the first log(): events stored by earlier pages must drain even if this
    // page never logs. (The base calls dispatchOnExit on every exit signal, even with nothing
    // queued: a write in flight or memory-tier events need it.)
    this.start();
  }

  /** Registry identity: one buffer per database; bounds and the drain target must match. */
  static buildDescriptor(options: IndexedDbSinkOptions = {}): LogSinkDescriptor {
    const d = IDB_DEFAULTS;
    return {
      sinkType: 'indexeddb',
      resourceKey: ['indexeddb', databaseName(options)],
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
  export(options?: IndexedDbExportOptions): Promise<string | LogEvent[]> {
    const { _asArray, _limit, _matches } = exportFilter(options);
    return this.flush()
      .then(this.#buffer._events)
      .then((all) => {
        const events = all.filter(_matches);
        events.splice(0, events.length - _limit); // the newest `_limit`
        return _asArray ? events : events.map((event) => `${JSON.stringify(event)}\n`).join('');
      });
  }

  /** Deletes every stored and spilled event of this database (after writing what is queued). */
  clear(): Promise<void> {
    return this.flush().then(this.#buffer._clear);
  }

  /**
   * Resolves once everything queued before the call is written or dropped, and the database has
   * been opened and its totals read (so `stats()` counts what earlier pages stored). Never rejects.
   */
  override flush(): Promise<void> {
    return super.flush().then(() => this.#buffer._started);
  }

  override stats(): IndexedDbSinkStats {
    const base = super.stats();
    return { ...base, evicted: base.dropped.evicted, ...this.#buffer._stats() };
  }

  protected override encodedSize(event: LogEvent): number {
    const n = super.encodedSize(event);
    this.#sizes.set(event, n); // measured once at log(), reused for the stored record
    return n;
  }

  protected override onStarting(): Promise<void> {
    return this.#buffer._start();
  }

  protected override onStopped(): Promise<void> {
    return this.#buffer._stop();
  }

  protected async dispatch(batch: readonly LogEvent[]): Promise<DispatchOutcome> {
    await this.#buffer._write(batch);
  }

  /** Every event is beaconed, spilled, or counted as overflow (a throw: the base keeps them). */
  protected override dispatchOnExit(batch: readonly LogEvent[]): number {
    this.#buffer._exit(batch);
    return batch.length;
  }
}
