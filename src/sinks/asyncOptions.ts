import type { LogDiagnosticHandler } from '../core/diagnostics.js';
import { LogConfigError } from '../core/errors.js';
import type { PageLifecycle } from './pageExit.js';

/** Options every {@link AsyncLogSink} understands. All optional; bad values throw `LogConfigError`. */
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
   * Most estimated bytes held; beyond it the oldest are dropped, counted `overflow`.
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
   * Where page-exit signals come from; `false` disables exit handling.
   * @default the global `document` and `window` when a document exists (none in workers)
   */
  pageLifecycle?: PageLifecycle | false;
}

/** Options with defaults applied. */
export type ResolvedAsyncOptions = Required<
  Omit<AsyncLogSinkOptions, 'onDiagnostic' | 'pageLifecycle'>
> &
  Pick<AsyncLogSinkOptions, 'onDiagnostic' | 'pageLifecycle'>;

const KIB = 1024;

/** Documented defaults of {@link AsyncLogSinkOptions}. */
export const ASYNC_SINK_DEFAULTS = {
  maxBatchEvents: 100,
  maxBatchBytes: 32 * KIB,
  flushIntervalMs: 2000,
  maxQueueEvents: 5000,
  maxQueueBytes: 2048 * KIB,
  maxRetries: 6,
  retryBaseMs: 500,
  retryMaxMs: 30_000,
} as const;

type NumericKey = keyof typeof ASYNC_SINK_DEFAULTS;

// Smallest sensible value per option: zero only where "no wait" / "no retry" means something.
const MINIMUM: Record<NumericKey, number> = {
  maxBatchEvents: 1,
  maxBatchBytes: 1,
  flushIntervalMs: 0,
  maxQueueEvents: 1,
  maxQueueBytes: 1,
  maxRetries: 0,
  retryBaseMs: 0,
  retryMaxMs: 0,
};

/**
 * Applies defaults and validates.
 * @param name - the sink's class name, for messages
 * @throws LogConfigError when an option has the wrong type or range
 */
export function resolveAsyncOptions(name: string, o: AsyncLogSinkOptions): ResolvedAsyncOptions {
  if (typeof o !== 'object' || o === null) {
    throw new LogConfigError(`${name}: options must be an object`);
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(ASYNC_SINK_DEFAULTS) as NumericKey[]) {
    const v = o[key] ?? ASYNC_SINK_DEFAULTS[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < MINIMUM[key]) {
      throw new LogConfigError(
        `${name}: ${key} must be an integer >= ${MINIMUM[key]}, got ${String(v)}`,
      );
    }
    out[key] = v;
  }
  if ((out.retryMaxMs as number) < (out.retryBaseMs as number)) {
    throw new LogConfigError(`${name}: retryMaxMs must be >= retryBaseMs`);
  }
  for (const key of ['now', 'setTimeout', 'clearTimeout', 'random', 'onDiagnostic'] as const) {
    if (o[key] !== undefined && typeof o[key] !== 'function') {
      throw new LogConfigError(`${name}: ${key} must be a function`);
    }
  }
  const lc = o.pageLifecycle;
  if (lc !== undefined && lc !== false && (typeof lc !== 'object' || !lc.document || !lc.window)) {
    throw new LogConfigError(`${name}: pageLifecycle must be { document, window } or false`);
  }
  const g = globalThis;
  return {
    ...(out as Record<NumericKey, number>),
    now: o.now ?? Date.now,
    // Bound lazily-read globals: a detached `setTimeout` throws "Illegal invocation" in browsers.
    setTimeout: o.setTimeout ?? ((cb, ms) => g.setTimeout(cb, ms)),
    clearTimeout: o.clearTimeout ?? ((h) => g.clearTimeout(h as ReturnType<typeof setTimeout>)),
    random: o.random ?? Math.random,
    onDiagnostic: o.onDiagnostic,
    pageLifecycle: lc,
  };
}
