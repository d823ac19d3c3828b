import { LogConfigError } from '../core/errors.js';
import type { LogMethod } from '../context/compile.js';
import { describeThrown, isErrorLike } from './describeThrown.js';

/** What the capture helpers log through: any object with the level methods, e.g. a `LogContext`. */
export type CaptureTarget = Record<
  'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal',
  LogMethod
>;

/** The part of `window` / `self` that `captureErrors` listens on. */
export interface ErrorEventSource {
  addEventListener(type: string, listener: (event: any) => void): void;
  removeEventListener(type: string, listener: (event: any) => void): void;
}

/** Options of {@link captureErrors}. */
export interface CaptureErrorsOptions {
  /**
   * The level of captured errors and rejections.
   * @default 'error'
   */
  level?: 'error' | 'fatal';
  /**
   * Identical errors (same message and stack) within this window after one is logged are counted
   * instead of logged; the count is logged (payload `{ suppressed }`) when the next identical error
   * arrives after the window, when the error is forgotten, or on uninstall.
   * @default 1000
   */
  dedupeWindowMs?: number;
  /**
   * How many distinct errors are tracked for de-duplication; the oldest is forgotten first
   * (after logging its pending `suppressed` count).
   * @default 100
   */
  maxTracked?: number;
  /**
   * Where to listen: a window or worker global scope.
   * @default globalThis (`window` in a page, `self` in a worker)
   */
  target?: ErrorEventSource;
  /**
   * The clock, in milliseconds.
   * @default Date.now
   */
  now?: () => number;
}

interface Seen {
  until: number;
  suppressed: number;
  message: string;
}

// Keys are cut to this many characters: they include stacks, and memory must stay bounded.
const MAX_KEY_CHARS = 1000;

/**
 * Logs uncaught errors (`error` events) and unhandled promise rejections (`unhandledrejection`)
 * through `ctx`, with the thrown value as the payload (an `Error` is normalized by the payload
 * processor, `cause` chain included). A storm of identical errors is logged once per
 * `dedupeWindowMs`, with the number suppressed. Nothing is installed until this is called.
 *
 * @param ctx - the context to log through, e.g. `log.child('errors')`
 * @param options - see {@link CaptureErrorsOptions}
 * @returns a function that uninstalls the listeners (and logs pending suppressed counts)
 * @throws LogConfigError when `ctx` has no level methods or an option is invalid
 * @example
 * const stop = captureErrors(log.child('errors'));
 */
export function captureErrors(ctx: CaptureTarget, options: CaptureErrorsOptions = {}): () => void {
  checkTarget(ctx, 'captureErrors');
  const { level = 'error', dedupeWindowMs = 1000, maxTracked = 100, now = Date.now } = options;
  if (level !== 'error' && level !== 'fatal')
    throw new LogConfigError(`captureErrors: level must be 'error' or 'fatal'`);
  if (!(dedupeWindowMs >= 0) || !(maxTracked >= 1))
    throw new LogConfigError('captureErrors: dedupeWindowMs must be >= 0 and maxTracked >= 1');
  const target = options.target ?? (globalThis as unknown as ErrorEventSource);
  if (typeof target.addEventListener !== 'function') {
    if (options.target) throw new LogConfigError('captureErrors: target needs addEventListener');
    return () => {}; // Node and other runtimes without global events: nothing to capture.
  }
  const seen = new Map<string, Seen>();
  let busy = false;

  const summarize = (entry: Seen) => {
    // Same level as the errors themselves, so the count is routed wherever they are.
    if (entry.suppressed > 0)
      ctx[level](`${entry.message} (repeated ${entry.suppressed} more times)`, {
        suppressed: entry.suppressed,
      });
    entry.suppressed = 0;
  };

  const capture = (source: string, message: string, thrown: unknown, where?: object) => {
    if (busy) return; // an error raised while logging an error must not loop
    busy = true;
    try {
      const time = now();
      const stack = isErrorLike(thrown) ? String(thrown.stack) : '';
      const key = `${source}|${message}|${stack}`.slice(0, MAX_KEY_CHARS);
      const entry = seen.get(key);
      if (entry && time < entry.until) {
        entry.suppressed++;
        return;
      }
      if (entry) {
        summarize(entry);
        seen.delete(key); // re-inserted last: the Map's order is the eviction order
      }
      seen.set(key, { until: time + dedupeWindowMs, suppressed: 0, message });
      if (seen.size > maxTracked) {
        const [oldKey, oldest] = seen.entries().next().value as [string, Seen];
        seen.delete(oldKey);
        summarize(oldest);
      }
      // An Error is the payload itself; anything else thrown is wrapped with where it came from.
      ctx[level](message, isErrorLike(thrown) ? thrown : { error: thrown, ...where });
    } catch {
      // Logging never throws into the app, and this runs inside the browser's error dispatch.
    } finally {
      busy = false;
    }
  };

  const onError = (event: ErrorEvent) => {
    const thrown: unknown = event.error;
    const where =
      event.filename || event.lineno
        ? { filename: event.filename, lineno: event.lineno, colno: event.colno }
        : undefined;
    // Cross-origin scripts report only "Script error." with no error object.
    const message =
      thrown === undefined || thrown === null ? String(event.message) : describeThrown(thrown);
    capture('error', message, thrown ?? null, where);
  };
  const onRejection = (event: PromiseRejectionEvent) => {
    const reason: unknown = event.reason;
    capture('unhandledrejection', `Unhandled rejection: ${describeThrown(reason)}`, reason);
  };

  target.addEventListener('error', onError);
  target.addEventListener('unhandledrejection', onRejection);
  let installed = true;
  return () => {
    if (!installed) return;
    installed = false;
    target.removeEventListener('error', onError);
    target.removeEventListener('unhandledrejection', onRejection);
    for (const entry of seen.values()) summarize(entry);
    seen.clear();
  };
}

/** @throws LogConfigError when `ctx` lacks a level method */
export function checkTarget(ctx: unknown, who: string): asserts ctx is CaptureTarget {
  for (const level of ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const) {
    if (typeof (ctx as Partial<CaptureTarget> | null)?.[level] !== 'function')
      throw new LogConfigError(`${who}: pass a LogContext (got no ${level}() method)`);
  }
}
