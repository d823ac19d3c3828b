import { ORIGINAL_CONSOLE_METHOD } from '../core/diagnostics.js';
import { LogConfigError } from '../core/errors.js';
import type { LogLevel } from '../core/level.js';
import { checkTarget, type CaptureTarget } from './captureErrors.js';
import { describeThrown, isErrorLike } from './describeThrown.js';

/** A console method `captureConsole` can forward. */
export type CapturedConsoleMethod = 'trace' | 'debug' | 'log' | 'info' | 'warn' | 'error';

/** The level each console method logs at (`console.log` is `info`). */
export const CONSOLE_METHOD_LEVEL = {
  trace: 'trace',
  debug: 'debug',
  log: 'info',
  info: 'info',
  warn: 'warn',
  error: 'error',
} as const satisfies Record<CapturedConsoleMethod, LogLevel>;

/** Options of {@link captureConsole}. */
export interface CaptureConsoleOptions {
  /**
   * The console to patch.
   * @default globalThis.console
   */
  console?: Console;
}

type ConsoleFn = ((...args: unknown[]) => void) & { [ORIGINAL_CONSOLE_METHOD]?: ConsoleFn };

/**
 * Forwards `console.<method>(...)` calls of the app to `ctx` (the console still prints them).
 * A string first argument is the message and the other arguments are the payload (one value, or an
 * array of them). The SDK never loops: each patched method carries its original under
 * `ORIGINAL_CONSOLE_METHOD`, which `ConsoleSink` and diagnostics write to, and a call made while
 * forwarding (e.g. by a sink) is printed but not forwarded again.
 *
 * @param ctx - the context to log through, e.g. `log.child('console')`
 * @param methods - which console methods to forward; default `['warn', 'error']`
 * @param options - see {@link CaptureConsoleOptions}
 * @returns a function that restores the console (safe to call twice)
 * @throws LogConfigError when `ctx` has no level methods or a method name is unknown
 * @example
 * const stop = captureConsole(log.child('console'), ['info', 'warn', 'error']);
 */
export function captureConsole(
  ctx: CaptureTarget,
  methods: readonly CapturedConsoleMethod[] = ['warn', 'error'],
  options: CaptureConsoleOptions = {},
): () => void {
  checkTarget(ctx, 'captureConsole');
  if (!Array.isArray(methods) || methods.some((m) => !(m in CONSOLE_METHOD_LEVEL))) {
    throw new LogConfigError(
      `captureConsole: methods must be an array of ${Object.keys(CONSOLE_METHOD_LEVEL).join(', ')}`,
    );
  }
  const target = (options.console ?? (globalThis as { console?: Console }).console) as
    Record<string, ConsoleFn> | undefined;
  if (!target) return () => {};
  let forwarding = false;
  let active = true;
  const restores: (() => void)[] = [];

  for (const method of new Set<CapturedConsoleMethod>(methods)) {
    const original = target[method];
    if (typeof original !== 'function') continue;
    const level = CONSOLE_METHOD_LEVEL[method];
    const patched: ConsoleFn = function (this: unknown, ...args: unknown[]) {
      original.apply(this, args);
      if (!active || forwarding) return; // reentrant: a sink or diagnostic wrote to the console
      forwarding = true;
      try {
        forward(ctx[level], method, args);
      } catch {
        // The app's console call must never fail because of logging.
      } finally {
        forwarding = false;
      }
    };
    patched[ORIGINAL_CONSOLE_METHOD] = original;
    target[method] = patched;
    restores.push(() => {
      // Someone patched over us: leave their wrapper in place; `active` makes ours pass through.
      if (target[method] === patched) target[method] = original;
    });
  }
  return () => {
    active = false;
    for (const restore of restores.splice(0)) restore();
  };
}

/** Message from a leading string (format directives like `%s` are kept as written) or error. */
function forward(
  log: (message: string, payload?: unknown) => void,
  method: string,
  args: unknown[],
): void {
  const [first, ...rest] = args;
  if (typeof first === 'string') {
    log(first, rest.length === 0 ? undefined : rest.length === 1 ? rest[0] : rest);
    return;
  }
  const message =
    isErrorLike(first) || (typeof first !== 'object' && typeof first !== 'function')
      ? describeThrown(first)
      : `console.${method}`;
  log(args.length === 0 ? '' : message, args.length === 1 ? first : args);
}
