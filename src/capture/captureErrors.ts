import { checkedOptions, configFail } from '../core/check.js';
import type { LogMethod } from '../context/compile.js';
import { describeThrown, isErrorLike } from '../core/describeThrown.js';

/**
 * What the capture helpers log through: any object with the level methods, e.g. a `LogContext`.
 * @group Capture
 */
export type CaptureTarget = Record<
  'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal',
  LogMethod
>;

/** @throws LogConfigError when `ctx` lacks the `level` method the helper `owner` logs with */
export function checkTarget(owner: string, ctx: unknown, level: string): void {
  if (typeof (ctx as Record<string, unknown> | null)?.[level] !== 'function')
    configFail(owner, `pass a LogContext (got no ${level}() method)`);
}

/**
 * The part of `window` / `self` that `captureErrors` listens on.
 * @group Capture
 */
export interface ErrorEventSource {
  addEventListener(type: string, listener: (event: any) => void): void;
  removeEventListener(type: string, listener: (event: any) => void): void;
}

/**
 * Options of {@link captureErrors}.
 * @group Capture
 */
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

/** A recently logged error, for de-duplication. */
interface SeenError {
  /** Identical errors before this time are counted, not logged. */
  _quietUntil: number;
  /** Identical errors counted since it was last logged. */
  _suppressed: number;
  readonly _message: string;
}

const CAPTURE_ERRORS_OPTIONS = ['level', 'dedupeWindowMs', 'maxTracked', 'target', 'now'];

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
 * @group Capture
 */
export function captureErrors(ctx: CaptureTarget, options?: CaptureErrorsOptions): () => void {
  const owner = 'captureErrors';
  const checked = checkedOptions(owner, options, CAPTURE_ERRORS_OPTIONS);
  const {
    level = 'error',
    dedupeWindowMs: windowMs = 1000,
    maxTracked = 100,
    now = Date.now,
  } = checked;
  // One check for all four (cheaper than one per option); the message lists what each must be.
  if (!(
    (level === 'error' || level === 'fatal') &&
    windowMs >= 0 &&
    maxTracked >= 1 &&
    typeof now === 'function'
  ))
    configFail(
      owner,
      "level must be 'error' or 'fatal', dedupeWindowMs >= 0, maxTracked >= 1, now a function",
    );
  checkTarget(owner, ctx, level);
  const target = checked.target ?? (globalThis as unknown as ErrorEventSource);
  if (typeof target.addEventListener !== 'function') {
    if (checked.target) configFail(owner, '`target` needs addEventListener()');
    return () => {}; // Node and other runtimes without global events: nothing to capture.
  }
  const seen = new Map<string, SeenError>();
  let busy = false;

  // Same level as the errors themselves, so the count is routed wherever they are.
  const summarize = (entry: SeenError) => {
    const suppressed = entry._suppressed;
    if (suppressed)
      ctx[level](`${entry._message} (repeated ${suppressed} more times)`, { suppressed });
    entry._suppressed = 0;
  };

  // Whether an error with `message` is logged now: not while an identical one is being counted.
  const isFirstInWindow = (message: string, thrown: unknown) => {
    const key = `${message}|${isErrorLike(thrown) ? thrown.stack : ''}`.slice(0, MAX_KEY_CHARS);
    const time = now();
    const entry = seen.get(key);
    if (entry && time < entry._quietUntil) {
      entry._suppressed++;
      return false;
    }
    if (entry) summarize(entry);
    seen.delete(key); // re-inserted last: the Map's order is the eviction order
    seen.set(key, { _quietUntil: time + windowMs, _suppressed: 0, _message: message });
    if (seen.size > maxTracked) {
      const [[oldKey, oldest]] = seen;
      seen.delete(oldKey);
      summarize(oldest);
    }
    return true;
  };

  const listen = (type: string) => {
    const listener = (event: any) => {
      if (busy) return; // an error raised while logging an error must not loop
      busy = true;
      try {
        const rejection = type !== 'error';
        // Cross-origin scripts report only "Script error." with no error object.
        const thrown: unknown = rejection ? event.reason : (event.error ?? null);
        const message = thrownMessage(rejection, thrown, event);
        if (isFirstInWindow(message, thrown)) ctx[level](message, thrownPayload(thrown, event));
      } catch {
        // Logging never throws into the app, and this runs inside the browser's error dispatch.
      } finally {
        busy = false;
      }
    };
    target.addEventListener(type, listener);
    return () => target.removeEventListener(type, listener);
  };
  const stops = ['error', 'unhandledrejection'].map(listen);

  return () => {
    for (const stop of stops.splice(0)) stop();
    for (const entry of seen.values()) summarize(entry);
    seen.clear();
  };
}

/** The message of an uncaught error or rejection; it tells rejections apart for de-duplication. */
function thrownMessage(rejection: boolean, thrown: unknown, event: any): string {
  if (rejection) return `Unhandled rejection: ${describeThrown(thrown)}`;
  return thrown === null ? String(event.message) : describeThrown(thrown);
}

/** An Error is the payload itself; anything else thrown is wrapped with where it came from. */
function thrownPayload(thrown: unknown, event: any): unknown {
  if (isErrorLike(thrown)) return thrown;
  return {
    error: thrown,
    ...(event.filename || event.lineno
      ? { filename: event.filename, lineno: event.lineno, colno: event.colno }
      : {}),
  };
}
