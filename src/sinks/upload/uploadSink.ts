import type { LogEvent } from '../../core/event.js';
import type { LogSinkDescriptor, LogSinkTerminator } from '../../core/sink.js';
import { ASYNC_SINK_DEFAULTS } from '../asyncOptions.js';
import { AsyncLogSink } from '../asyncSink.js';
import type { DispatchOutcome } from '../dispatchOutcome.js';
import type { BatchEncoder } from './encoder.js';
import { sendChunksOnExit, type ExitContext } from './exitSender.js';
import { gzip } from './gzip.js';
import { jsonEncoder } from './json.js';
import { KeepaliveBudget } from './keepaliveBudget.js';
import { defaultNetworkStatus, watchNetwork, type NetworkStatus } from './network.js';
import { otlpEncoder } from './otlp.js';
import {
  classifyResponse,
  drainBody,
  globalBeacon,
  globalFetch,
  type FetchLike,
  type UploadOutcome,
} from './transport.js';
import {
  resolveUploadOptions,
  type ResolvedUploadOptions,
  type UploadSinkOptions,
} from './uploadOptions.js';
import { utf8Length } from './utf8.js';

export type { UploadOutcome } from './transport.js';
export type { UploadEncoding, UploadSinkOptions } from './uploadOptions.js';

/**
 * Delivers events over HTTP: batches go by `fetch` POST (with `keepalive` while the page's keepalive
 * budget allows, so a request in flight survives the page), and on page exit what is left goes by
 * `navigator.sendBeacon` in chunks that fit the budget, falling back to a keepalive `fetch`.
 * Encodes plain JSON or OTLP/HTTP JSON. Retries 408/429/5xx and network errors (honouring
 * `Retry-After`), drops other 4xx (counted `rejected`), splits a batch answered with 413, and holds
 * while offline.
 *
 * @example
 * const upload = new UploadSink({ url: '/v1/logs', encoding: 'otlp', resource: { 'service.name': 'shop' } });
 * const log = new LogContext({ namespace: 'shop', sinks: { upload } });
 */
export class UploadSink extends AsyncLogSink {
  /** The resolved endpoint. */
  readonly url: string;
  private readonly cfg: ResolvedUploadOptions;
  private readonly encoder: BatchEncoder;
  private readonly records = new WeakMap<LogEvent, string>();
  private readonly exitCtx: ExitContext;
  private readonly fetchFn: FetchLike;
  private readonly network: NetworkStatus | undefined;
  private readonly now: () => number;
  // Batches sent without keepalive (over budget): re-sent by beacon if the page exits meanwhile.
  private readonly unprotected = new Set<readonly LogEvent[]>();
  private unwatch: (() => void) | undefined;

  /**
   * @param options - endpoint, encoding and the batching/retry options of {@link AsyncLogSink}
   * @throws LogConfigError on a missing or malformed URL or an invalid option
   */
  constructor(options: UploadSinkOptions) {
    super(options);
    const cfg = (this.cfg = resolveUploadOptions(options));
    this.url = cfg.url;
    const now = (this.now = options.now ?? Date.now);
    this.encoder =
      cfg.encoding === 'otlp'
        ? otlpEncoder({ resource: cfg.resource, now })
        : jsonEncoder(cfg.resource);
    this.fetchFn = options.fetch ?? globalFetch;
    this.network =
      options.network === false ? undefined : (options.network ?? defaultNetworkStatus());
    this.exitCtx = {
      url: cfg.url,
      encoder: this.encoder,
      budget: new KeepaliveBudget(cfg.exitBudgetBytes, now),
      maxChunkBytes: cfg.maxBatchBytes,
      contentType: cfg.exitContentType,
      beacon: options.sendBeacon === false ? undefined : (options.sendBeacon ?? globalBeacon),
      fetch: this.fetchFn,
      recordOf: (event) => this.recordOf(event),
      now,
      report: (kind, message, error) => this.report(kind, message, error),
    };
  }

  /** Registry identity: one sink per endpoint; encoding, headers, resource and bounds must match. */
  static buildDescriptor(options: UploadSinkOptions): LogSinkDescriptor {
    const cfg = resolveUploadOptions(options);
    const bounds: Record<string, unknown> = {};
    for (const key of Object.keys(ASYNC_SINK_DEFAULTS) as (keyof typeof ASYNC_SINK_DEFAULTS)[]) {
      bounds[key] = options[key] ?? ASYNC_SINK_DEFAULTS[key];
    }
    return {
      sinkType: 'upload',
      resourceKey: [cfg.url],
      configKey: [cfg.encoding, cfg.gzip, cfg.headers, cfg.resource, bounds],
    };
  }

  /** Registry factory: the sink and a terminator that closes it (flushing first). */
  static create(options: UploadSinkOptions): [UploadSink, LogSinkTerminator] {
    const sink = new UploadSink(options);
    return [sink, () => sink.close()];
  }

  /**
   * One delivery attempt of `batch` by `fetch` (a 413 splits it and sends the halves); while
   * offline, a retryable failure without a request. Never rejects. A buffer sink in front (e.g.
   * `IndexedDbSink`) drains through this.
   * @param batch - the events, oldest first
   */
  async send(batch: readonly LogEvent[]): Promise<UploadOutcome> {
    try {
      if (!batch.length) return { ok: true, retry: false };
      // No request while the platform knows it is offline: it would only fail.
      if (this.offline()) return { ok: false, retry: true, error: new Error('offline') };
      const outcome = await this.post(batch);
      if (outcome.status === 413 && batch.length > 1) {
        const mid = Math.ceil(batch.length / 2);
        const first = await this.send(batch.slice(0, mid));
        return first.ok ? await this.send(batch.slice(mid)) : first;
      }
      return outcome;
    } catch (error) {
      return { ok: false, retry: true, error };
    }
  }

  /**
   * Synchronous exit hand-off: beacons in chunks within the keepalive budget still free, a
   * keepalive `fetch` when a beacon is refused. Nothing is sent while offline.
   * @param batch - the events, oldest first
   * @param onFailed - receives events whose fallback fetch later failed (retryable)
   * @returns how many events from the front were handed off
   */
  sendOnExit(batch: readonly LogEvent[], onFailed?: (events: readonly LogEvent[]) => void): number {
    try {
      if (!batch.length || this.offline()) return 0;
      return sendChunksOnExit(this.exitCtx, batch, onFailed);
    } catch (e) {
      this.report('exit-failed', 'exit hand-off failed internally', e);
      return 0;
    }
  }

  protected async dispatch(batch: readonly LogEvent[]): Promise<DispatchOutcome> {
    const r = await this.send(batch);
    if (r.ok) return { ok: true };
    const error = r.error ?? new Error(`HTTP ${String(r.status)} from ${this.url}`);
    if (r.retry) return { ok: false, retry: true, retryAfterMs: r.retryAfterMs, error };
    return { ok: false, retry: false, reason: r.status! < 500 ? 'rejected' : 'failed', error };
  }

  protected override dispatchOnExit(batch: readonly LogEvent[]): number {
    const n = this.sendOnExit(batch, (events) => this.requeue(events));
    // Requests in flight without keepalive die with the page: hand their events off again too
    // (the receiver de-duplicates by event id).
    for (const events of this.unprotected) {
      this.unprotected.delete(events);
      if (this.sendOnExit(events) < events.length) {
        this.report('exit-incomplete', 'a batch in flight could not be re-sent on exit');
      }
    }
    return n;
  }

  protected override encodedSize(event: LogEvent): number {
    return utf8Length(this.recordOf(event)) + 1; // + the comma between records
  }

  protected override onStarting(): void {
    const network = this.network;
    if (!network) return;
    if (!network.isOnline()) this.pause();
    this.unwatch = watchNetwork(network, (online) => (online ? this.resume() : this.pause()));
  }

  protected override onStopped(): void {
    this.unwatch?.();
    this.unwatch = undefined;
  }

  private offline(): boolean {
    try {
      return this.network ? !this.network.isOnline() : false;
    } catch {
      return false;
    }
  }

  /** The event's encoded record, made once (at `log()`) and reused by every attempt. */
  private recordOf(event: LogEvent): string {
    let record = this.records.get(event);
    if (record === undefined) {
      record = this.encoder.record(event);
      this.records.set(event, record);
    }
    return record;
  }

  private async post(batch: readonly LogEvent[]): Promise<UploadOutcome> {
    const cfg = this.cfg;
    const text =
      this.encoder.open + batch.map((e) => this.recordOf(e)).join(',') + this.encoder.close;
    const headers: Record<string, string> = { 'Content-Type': 'application/json', ...cfg.headers };
    let body: string | ArrayBuffer = text;
    if (cfg.gzip) {
      const zipped = await gzip(text).catch(() => undefined);
      if (zipped) {
        body = zipped;
        headers['Content-Encoding'] = 'gzip';
      } else this.report('gzip-unavailable', 'CompressionStream unavailable: sending uncompressed');
    }
    const bytes = typeof body === 'string' ? utf8Length(body) : body.byteLength;
    const budget = this.exitCtx.budget;
    // keepalive lets the request outlive the page, but only within the shared 64 KiB budget.
    const keepalive = budget.remaining() >= bytes;
    const release = keepalive ? budget.holdFetch(bytes) : undefined;
    if (!keepalive) this.unprotected.add(batch);
    try {
      const res = await this.fetchFn(this.url, { method: 'POST', body, headers, keepalive });
      await drainBody(res);
      return classifyResponse(res, this.now());
    } catch (error) {
      return { ok: false, retry: true, error };
    } finally {
      release?.();
      this.unprotected.delete(batch);
    }
  }
}
