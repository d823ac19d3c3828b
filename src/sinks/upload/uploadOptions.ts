import { checkedOptions, configFail, fnOption, intOption } from '../../core/check.js';
import {
  ASYNC_OPTION_NAMES,
  ASYNC_SINK_DEFAULTS,
  type AsyncLogSinkOptions,
} from '../asyncOptions.js';
import { defaultNetworkStatus, type NetworkStatus } from './network.js';
import type { MarkingBeacon } from './post.js';
import type { BeaconLike, FetchLike } from './transport.js';

/**
 * Body encodings: the plain JSON batch, or OTLP/HTTP JSON logs.
 * @group Sinks
 */
export type UploadEncoding = 'json' | 'otlp';

/**
 * Options of {@link UploadSink}; the batching/retry options come from {@link AsyncLogSinkOptions}.
 * @group Sinks
 */
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
   * Content type of exit bodies (beacon Blobs and keepalive fetches). For `'json'`, `text/plain`:
   * it is CORS-safelisted, so a cross-origin beacon needs no preflight (the receiver parses the body
   * as JSON regardless). For `'otlp'`, `application/json`: an OpenTelemetry Collector answers any
   * other type with 415 (a cross-origin endpoint must then allow `Content-Type` in its CORS config).
   * @default `'text/plain'` for `encoding: 'json'`, `'application/json'` for `encoding: 'otlp'`
   */
  exitContentType?: string;
}

/** The browser's in-flight budget shared by every `sendBeacon` and keepalive `fetch` of a page. */
export const KEEPALIVE_BUDGET_BYTES = 65536;

/** Upload options with defaults applied (the URL resolved). Internal: the build shortens `_` names. */
export interface ResolvedUploadOptions {
  /** The absolute endpoint. */
  readonly _url: string;
  readonly _encoding: UploadEncoding;
  /** Extra headers of normal-path requests (a copy). */
  readonly _headers: Record<string, string>;
  /** Resource attributes (a copy). */
  readonly _resource: Record<string, unknown>;
  readonly _gzip: boolean;
  /** Keepalive bytes this sink may have in flight. */
  readonly _exitBudgetBytes: number;
  readonly _exitContentType: string;
  /** The largest exit chunk: one batch (`maxBatchBytes`). */
  readonly _maxChunkBytes: number;
  /** The `fetch` option; `undefined`: the global `fetch`, read at call time (see startPost). */
  readonly _fetch: FetchLike | undefined;
  /** `undefined` when beacons are disabled. */
  readonly _beacon: MarkingBeacon | undefined;
  /** `undefined` when connectivity is ignored (or unknown). */
  readonly _network: NetworkStatus | undefined;
}

const OWNER = 'UploadSink';

/** The option names {@link UploadSinkOptions} adds to those of `AsyncLogSink`. */
export const UPLOAD_OPTION_NAMES = [
  'url',
  'encoding',
  'headers',
  'resource',
  'gzip',
  'fetch',
  'sendBeacon',
  'network',
  'exitBudgetBytes',
  'exitContentType',
] as const;

// Compile-time check that the two lists name every option of UploadSinkOptions.
type MissingUploadOptionNames = Exclude<
  keyof UploadSinkOptions,
  (typeof UPLOAD_OPTION_NAMES)[number] | (typeof ASYNC_OPTION_NAMES)[number]
>;
const everyUploadOptionNamed: MissingUploadOptionNames extends never ? true : never = true;
void everyUploadOptionNamed;

/**
 * `navigator.sendBeacon`, called as a method (detached it throws "Illegal invocation"). It writes
 * the exit hand-off's mark before it returns: a closing Firefox tab stops the script at the first
 * call or return after `sendBeacon` (see ExitMark).
 */
const defaultBeacon: MarkingBeacon = (url, data, mark) => {
  const queued = (globalThis as any).navigator.sendBeacon(url, data);
  if (queued) mark._through = mark._sending;
  return queued;
};

/**
 * Applies defaults and validates the upload-specific options.
 * @throws LogConfigError with what to change
 */
export function resolveUploadOptions(options: UploadSinkOptions): ResolvedUploadOptions {
  const given = checkedOptions(OWNER, options, [...ASYNC_OPTION_NAMES, ...UPLOAD_OPTION_NAMES]);
  const global = globalThis as any;
  const { url, headers = {}, resource = {}, network } = given;
  let parsed: any;
  try {
    // relative URLs resolve against the page's (or worker's) location, when there is one
    parsed = url.trim() && new URL(url, global.location?.href);
  } catch {
    // not a string, or not a URL: reported below
  }
  if (!/^https?:$/.test(parsed?.protocol))
    configFail(
      OWNER,
      `\`url\` must be an http(s) URL${global.location ? '' : ' (absolute: no page location)'}, got ${JSON.stringify(url)}`,
    );
  const encoding = given.encoding ?? 'json';
  if (encoding !== 'json' && encoding !== 'otlp')
    configFail(OWNER, "`encoding` must be 'json' or 'otlp'");
  if (
    typeof headers !== 'object' ||
    !headers ||
    Object.values(headers).some((v) => typeof v !== 'string')
  )
    configFail(OWNER, '`headers` must be an object of strings');
  if (typeof resource !== 'object' || !resource) configFail(OWNER, '`resource` must be an object');
  try {
    JSON.stringify(resource); // every request carries it: fail now, not on each send
  } catch {
    configFail(OWNER, '`resource` must be JSON-serializable (no cycles, no BigInt)');
  }
  const budget = intOption(OWNER, given, 'exitBudgetBytes', 61440, 0); // 60 KiB: 4 KiB left to others
  if (budget > KEEPALIVE_BUDGET_BYTES)
    configFail(OWNER, `\`exitBudgetBytes\` must be <= ${KEEPALIVE_BUDGET_BYTES}`);
  const type = given.exitContentType ?? (encoding === 'otlp' ? 'application/json' : 'text/plain');
  if (typeof type !== 'string' || !type)
    configFail(OWNER, '`exitContentType` must be a non-empty string');
  return {
    _url: parsed.href,
    _encoding: encoding,
    _headers: { ...headers },
    _resource: { ...resource },
    _gzip: given.gzip === true,
    _exitBudgetBytes: budget,
    _exitContentType: type,
    // an exit chunk is at most one batch
    _maxChunkBytes: given.maxBatchBytes ?? ASYNC_SINK_DEFAULTS.maxBatchBytes,
    _fetch: fnOption<FetchLike | undefined>(OWNER, given, 'fetch', undefined),
    // An option's sendBeacon is called as given (a bound native adds no frame to stop at before
    // the mark written after it returns); it may ignore the third argument.
    _beacon:
      given.sendBeacon === false
        ? undefined
        : fnOption<MarkingBeacon>(OWNER, given, 'sendBeacon', defaultBeacon),
    _network: network === false ? undefined : (network ?? defaultNetworkStatus()),
  };
}
