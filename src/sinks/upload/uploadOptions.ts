import { LogConfigError } from '../../core/errors.js';
import { ASYNC_SINK_DEFAULTS, type AsyncLogSinkOptions } from '../asyncOptions.js';
import { KEEPALIVE_BUDGET_BYTES } from './keepaliveBudget.js';
import type { NetworkStatus } from './network.js';
import type { BeaconLike, FetchLike } from './transport.js';

/** Body encodings: the plain JSON batch, or OTLP/HTTP JSON logs. */
export type UploadEncoding = 'json' | 'otlp';

/** Options of {@link UploadSink}; the batching/retry options come from {@link AsyncLogSinkOptions}. */
export interface UploadSinkOptions extends AsyncLogSinkOptions {
  /** Where to POST. Relative URLs resolve against the page's (or worker's) location. */
  url: string;
  /**
   * `'json'`: `{ resource, events: LogEvent[] }`; `'otlp'`: an OTLP/HTTP JSON
   * `ExportLogsServiceRequest`, for an OpenTelemetry Collector's `/v1/logs`.
   * @default 'json'
   */
  encoding?: UploadEncoding;
  /** Extra headers of normal-path requests. Beacons cannot carry headers. */
  headers?: Record<string, string>;
  /** Resource attributes of the app, e.g. `{ 'service.name': 'shop', 'service.version': '1.4.2' }`. */
  resource?: Record<string, unknown>;
  /**
   * Gzip normal-path bodies with `CompressionStream` (`Content-Encoding: gzip`). Never on exit.
   * @default false
   */
  gzip?: boolean;
  /** @default the global `fetch` */
  fetch?: FetchLike;
  /** `false` disables beacons (exit then uses keepalive `fetch`). @default `navigator.sendBeacon` */
  sendBeacon?: BeaconLike | false;
  /** Connectivity; `false` ignores it. @default `navigator.onLine` and the global online/offline events */
  network?: NetworkStatus | false;
  /**
   * Keepalive bytes this sink may have in flight (beacons + keepalive fetches). The browser allows
   * 64 KiB per page in total; 4 KiB are left to other scripts.
   * @default 61440 (60 KiB)
   */
  exitBudgetBytes?: number;
  /**
   * Content type of exit bodies. `text/plain` is CORS-safelisted, so a cross-origin beacon needs no
   * preflight; the receiver must parse the body as JSON regardless of this type.
   * @default 'text/plain'
   */
  exitContentType?: string;
}

/** Defaults of the upload-specific options. */
export const UPLOAD_SINK_DEFAULTS = {
  encoding: 'json',
  gzip: false,
  exitBudgetBytes: 60 * 1024,
  exitContentType: 'text/plain',
} as const;

/** Upload options with defaults applied (the URL resolved). */
export interface ResolvedUploadOptions {
  url: string;
  encoding: UploadEncoding;
  headers: Record<string, string>;
  resource: Record<string, unknown>;
  gzip: boolean;
  exitBudgetBytes: number;
  exitContentType: string;
  maxBatchBytes: number;
}

/**
 * Resolves `url` against the location (page or worker) and checks it is http(s).
 * @throws LogConfigError when the URL is missing, malformed or not http(s)
 */
export function resolveUploadUrl(url: unknown): string {
  if (typeof url !== 'string' || !url.trim()) {
    throw new LogConfigError(
      'UploadSink: `url` is required, e.g. "https://logs.example.com/v1/logs"',
    );
  }
  const base = (globalThis as { location?: { href?: string } }).location?.href;
  let parsed: URL;
  try {
    parsed = base ? new URL(url, base) : new URL(url);
  } catch {
    const hint = base
      ? ''
      : ' (no page location to resolve a relative URL against: pass an absolute one)';
    throw new LogConfigError(`UploadSink: url ${JSON.stringify(url)} is not a valid URL${hint}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new LogConfigError(
      `UploadSink: url must be http(s), got ${JSON.stringify(parsed.protocol)}`,
    );
  }
  return parsed.href;
}

/**
 * Applies defaults and validates the upload-specific options.
 * @throws LogConfigError with what to change
 */
export function resolveUploadOptions(o: UploadSinkOptions): ResolvedUploadOptions {
  const fail: (what: string) => never = (what) => {
    throw new LogConfigError(`UploadSink: ${what}`);
  };
  if (typeof o !== 'object' || o === null) fail('pass an options object with a `url`');
  const url = resolveUploadUrl(o.url);
  const encoding = o.encoding ?? UPLOAD_SINK_DEFAULTS.encoding;
  if (encoding !== 'json' && encoding !== 'otlp') fail(`encoding must be 'json' or 'otlp'`);
  const headers: Record<string, string> = {};
  if (o.headers !== undefined && (typeof o.headers !== 'object' || o.headers === null)) {
    fail('headers must be an object of strings');
  }
  for (const [k, v] of Object.entries(o.headers ?? {})) {
    if (typeof v !== 'string') fail(`header ${JSON.stringify(k)} must be a string`);
    headers[k] = v;
  }
  if (o.resource !== undefined && (typeof o.resource !== 'object' || o.resource === null)) {
    fail('resource must be an object, e.g. { "service.name": "shop" }');
  }
  for (const key of ['fetch', 'sendBeacon'] as const) {
    const v = o[key];
    if (v !== undefined && v !== false && typeof v !== 'function')
      fail(`${key} must be a function`);
  }
  const budget = o.exitBudgetBytes ?? UPLOAD_SINK_DEFAULTS.exitBudgetBytes;
  if (!Number.isInteger(budget) || budget < 0 || budget > KEEPALIVE_BUDGET_BYTES) {
    fail(`exitBudgetBytes must be an integer in [0, ${KEEPALIVE_BUDGET_BYTES}]`);
  }
  const type = o.exitContentType ?? UPLOAD_SINK_DEFAULTS.exitContentType;
  if (typeof type !== 'string' || !type) fail('exitContentType must be a non-empty string');
  return {
    url,
    encoding,
    headers,
    resource: { ...o.resource },
    gzip: o.gzip === true,
    exitBudgetBytes: budget,
    exitContentType: type,
    maxBatchBytes: o.maxBatchBytes ?? ASYNC_SINK_DEFAULTS.maxBatchBytes,
  };
}
