import type { LogDiagnosticHandler } from '../core/diagnostics.js';
import { checkedOptions, configFail, fnOption, intOption, optionsObject } from '../core/check.js';
import type { StormProtectionOptions } from './guard/stormOptions.js';
import type { PageLifecycle } from './pageExit.js';

/**
 * Options every {@link AsyncLogSink} understands. All optional; bad values throw `LogConfigError`.
 * @group Sinks
 */
export interface AsyncLogSinkOptions {
  /**
   * A batch is dispatched as soon as this many events are queued. 100 keeps one request per
   * ~100 events (a few dozen KiB of typical events) without waiting for the interval.
   * @default 100
   */
  maxBatchEvents?: number;
  /**
   * A batch is dispatched as soon as its estimated encoded size reaches this many bytes. Half of
   * the browser's 64 KiB keepalive budget, so a batch in flight with `keepalive` still leaves room
   * for the exit beacons.
   * @default 32768 (32 KiB)
   */
  maxBatchBytes?: number;
  /**
   * The oldest queued event waits at most this long before its batch is dispatched. Two seconds
   * bounds the latency and keeps the backlog an exit beacon must carry small.
   * @default 2000
   */
  flushIntervalMs?: number;
  /**
   * Most events held (queued, not in flight); beyond it the oldest are dropped, counted `overflow`.
   * @default 5000
   */
  maxQueueEvents?: number;
  /**
   * Most estimated bytes held; beyond it the oldest are dropped, counted `overflow`. An event
   * larger than this on its own is the one dropped, not the events queued before it.
   * @default 2097152 (2 MiB)
   */
  maxQueueBytes?: number;
  /**
   * Retries of one batch after a retryable failure; then it is dropped, counted `failed`.
   * @default 6
   */
  maxRetries?: number;
  /**
   * First retry waits up to this long (full jitter: a random delay in [0, cap]); the cap doubles
   * on each retry up to `retryMaxMs`.
   * @default 500
   */
  retryBaseMs?: number;
  /**
   * Largest backoff cap.
   * @default 30000
   */
  retryMaxMs?: number;
  /**
   * Receives this sink's failure reports (each kind once).
   * @default `console.warn` as it was when the sink was created
   */
  onDiagnostic?: LogDiagnosticHandler;
  /** Clock in epoch ms. @default Date.now */
  now?: () => number;
  /** @default globalThis.setTimeout */
  setTimeout?: (callback: () => void, ms: number) => unknown;
  /** @default globalThis.clearTimeout */
  clearTimeout?: (handle: unknown) => void;
  /** Random numbers in [0, 1) for the backoff jitter. @default Math.random */
  random?: () => number;
  /**
   * Storm protection in `log()`: a per-level rate limit and optional duplicate suppression (see
   * {@link StormProtectionOptions}); suppressed events are counted in `stats().dropped` as
   * `rate-limited` / `duplicate-suppressed`. `true` uses the defaults (3,000 events per level per
   * minute, no duplicate suppression).
   * @default false (`UploadSink`: true)
   */
  stormProtection?: boolean | StormProtectionOptions;
  /**
   * Where page-exit signals come from; `false` disables exit handling.
   * @default the global `document` and `window` when a document exists (none in workers)
   */
  pageLifecycle?: PageLifecycle | false;
}

/** Options with defaults applied. */
export type ResolvedAsyncOptions = Required<
  Omit<AsyncLogSinkOptions, 'onDiagnostic' | 'pageLifecycle' | 'stormProtection'>
> &
  Pick<AsyncLogSinkOptions, 'onDiagnostic' | 'pageLifecycle'>;

/**
 * Documented defaults of {@link AsyncLogSinkOptions}. The first four must be >= 1, the others may be
 * 0 ("no wait", "no retry"): {@link resolveAsyncOptions} relies on this order.
 */
export const ASYNC_SINK_DEFAULTS = {
  maxBatchEvents: 100,
  maxBatchBytes: 32768, // 32 KiB
  maxQueueEvents: 5000,
  maxQueueBytes: 2097152, // 2 MiB
  flushIntervalMs: 2000,
  maxRetries: 6,
  retryBaseMs: 500,
  retryMaxMs: 30_000,
} as const;

/** Every option name of {@link AsyncLogSinkOptions} (unknown names are a `LogConfigError`). */
export const ASYNC_OPTION_NAMES = [
  ...(Object.keys(ASYNC_SINK_DEFAULTS) as (keyof typeof ASYNC_SINK_DEFAULTS)[]),
  'onDiagnostic',
  'now',
  'setTimeout',
  'clearTimeout',
  'random',
  'stormProtection',
  'pageLifecycle',
] as const;

// Compile-time check that the list names every option: a new option must be added to it.
type MissingAsyncOptionNames = Exclude<
  keyof AsyncLogSinkOptions,
  (typeof ASYNC_OPTION_NAMES)[number]
>;
const everyAsyncOptionNamed: MissingAsyncOptionNames extends never ? true : never = true;
void everyAsyncOptionNamed;

/**
 * Applies defaults and validates.
 * @param owner - the sink's class name, for messages
 * @param subclassOptionNames - the further option names the subclass understands (`null`: it
 *   checked the names itself)
 * @throws LogConfigError when an option is unknown or has the wrong type or range
 */
export function resolveAsyncOptions(
  owner: string,
  options: AsyncLogSinkOptions | undefined,
  subclassOptionNames: readonly string[] | null = [],
): ResolvedAsyncOptions {
  const given =
    subclassOptionNames === null
      ? optionsObject(owner, options) // the subclass checked the names itself
      : checkedOptions(owner, options, [...ASYNC_OPTION_NAMES, ...subclassOptionNames]);
  const resolved: Record<string, unknown> = {};
  Object.entries(ASYNC_SINK_DEFAULTS).forEach(([key, fallback], index) => {
    const min = index < 4 ? 1 : 0; // the batch and queue bounds need at least 1
    resolved[key] = intOption(owner, given, key, fallback, min);
  });
  if ((resolved.retryMaxMs as number) < (resolved.retryBaseMs as number))
    configFail(owner, '`retryMaxMs` must be >= `retryBaseMs`');
  const lifecycle = given.pageLifecycle;
  if (lifecycle !== undefined && lifecycle !== false && !(lifecycle?.document && lifecycle.window))
    configFail(owner, '`pageLifecycle` must be { document, window } or false');
  const functionDefaults = {
    now: Date.now,
    // The globals, read at call time (tests and apps may replace them).
    setTimeout: (callback: () => void, ms: number) => setTimeout(callback, ms),
    clearTimeout: (handle: any) => clearTimeout(handle),
    random: Math.random,
    onDiagnostic: undefined,
  };
  for (const [key, fallback] of Object.entries(functionDefaults))
    resolved[key] = fnOption(owner, given, key, fallback);
  resolved.pageLifecycle = lifecycle;
  return resolved as ResolvedAsyncOptions;
}
