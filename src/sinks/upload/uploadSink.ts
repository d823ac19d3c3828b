import type { LogEvent } from '../../core/event.js';
import { STARTED_KEEPALIVE } from '../indexeddb/transport.js';
import type { LogSinkDescriptor, LogSinkTerminator } from '../../core/sink.js';
import { ASYNC_SINK_DEFAULTS } from '../asyncOptions.js';
import { AsyncLogSink } from '../asyncSink.js';
import type { DispatchOutcome } from '../dispatchOutcome.js';
import type { UploadOutcome } from './transport.js';
import { createUploader, type Uploader, type UploaderHost } from './uploader.js';
import {
  resolveUploadOptions,
  UPLOAD_OPTION_NAMES,
  type UploadEncoding,
  type UploadSinkOptions,
} from './uploadOptions.js';

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
 * @group Sinks
 */
export class UploadSink extends AsyncLogSink {
  /** The name configuration errors use (survives minification, unlike the class name). */
  static readonly sinkName = 'UploadSink';

  /** Option names besides those of `AsyncLogSink` (see {@link AsyncLogSink.optionNames}). */
  static override readonly optionNames: readonly string[] = UPLOAD_OPTION_NAMES;

  // Set by the constructor; declared only (`declare`): no field definitions to emit.
  /** The resolved endpoint (absolute). */
  declare readonly url: string;
  /** The body encoding. */
  declare readonly encoding: UploadEncoding;
  #uploader: Uploader;

  /**
   * @param options - endpoint, encoding and the batching/retry options of {@link AsyncLogSink}
   * @throws LogConfigError on a missing or malformed URL or an invalid option
   */
  constructor(options: UploadSinkOptions) {
    super(withStormProtection(options));
    const resolved = resolveUploadOptions(options);
    this.url = resolved._url;
    this.encoding = resolved._encoding;
    const setTimer = options.setTimeout ?? ((callback, ms) => setTimeout(callback, ms));
    this.#uploader = createUploader(
      resolved,
      options.now ?? Date.now,
      this as unknown as UploaderHost,
      (ms) => new Promise((resolve) => void setTimer(resolve, ms)),
    );
  }

  /** Registry identity: one sink per endpoint; encoding, headers, resource and bounds must match. */
  static buildDescriptor(options: UploadSinkOptions): LogSinkDescriptor {
    const resolved = resolveUploadOptions(options);
    const bounds = Object.fromEntries(
      Object.entries(ASYNC_SINK_DEFAULTS).map(([key, fallback]) => [
        key,
        options[key as keyof typeof ASYNC_SINK_DEFAULTS] ?? fallback,
      ]),
    );
    return {
      sinkType: 'upload',
      resourceKey: [resolved._url],
      configKey: [
        resolved._encoding,
        resolved._gzip,
        resolved._headers,
        resolved._resource,
        bounds,
        options.stormProtection ?? true,
      ],
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
  send(batch: readonly LogEvent[]): Promise<UploadOutcome> {
    return this.#uploader._send(batch);
  }

  /**
   * Whether the request of the latest {@link send}, if it was of this very `batch` array, has
   * started with keepalive, so it outlives the page: a buffer draining through this sink then
   * counts that batch as handed off; not while its body is being gzipped, nor without keepalive
   * (over the budget).
   * @internal
   */
  [STARTED_KEEPALIVE](batch: readonly LogEvent[]): boolean {
    return this.#uploader._startedKeepalive(batch);
  }

  /**
   * Synchronous exit hand-off, oldest first, in chunks that each fit the keepalive budget still
   * free: `sendBeacon` (its boolean result is checked), a keepalive `fetch` when the beacon is
   * refused or missing. Stops at the first chunk that does not fit. Nothing is sent while offline.
   * @param batch - the events, oldest first
   * @param onFailed - receives events whose fallback fetch later failed (retryable)
   * @returns how many events from the front were handed off
   */
  sendOnExit(batch: readonly LogEvent[], onFailed?: (events: readonly LogEvent[]) => void): number {
    return this.#uploader._sendOnExit(batch, onFailed);
  }

  protected async dispatch(batch: readonly LogEvent[]): Promise<DispatchOutcome> {
    const outcome = await this.#uploader._send(batch, true);
    // Not retryable means a 4xx: rejected by the receiver.
    return (
      outcome.ok
        ? outcome
        : {
            ...outcome,
            reason: 'rejected',
            error: outcome.error ?? Error(`HTTP ${outcome.status}`),
          }
    ) as DispatchOutcome;
  }

  protected override dispatchOnExit(batch: readonly LogEvent[]): number {
    return this.#uploader._exit(batch);
  }

  protected override encodedSize(event: LogEvent): number {
    return this.#uploader._size(event);
  }

  protected override onStarting(): void {
    this.#uploader._start();
  }

  protected override onStopped(): void {
    this.#uploader._stop();
  }

  protected override settleExit(): Promise<void> {
    return this.#uploader._settleExit();
  }
}

/** `options` with storm protection on unless it says otherwise (a non-object is left to fail). */
function withStormProtection(options: UploadSinkOptions): UploadSinkOptions {
  return typeof options === 'object' && options !== null && options.stormProtection === undefined
    ? { ...options, stormProtection: true }
    : options;
}
