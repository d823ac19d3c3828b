import { checkedOptions, configFail, didYouMean } from '../core/check.js';
import { ORIGINAL_CONSOLE_METHOD } from '../core/diagnostics.js';
import type { LogLevel } from '../core/level.js';
import { checkTarget, type CaptureTarget } from './captureErrors.js';
import { describeThrown, isErrorLike } from '../core/describeThrown.js';

/**
 * A console method `captureConsole` can forward.
 * @group Capture
 */
export type CapturedConsoleMethod = 'trace' | 'debug' | 'log' | 'info' | 'warn' | 'error';

/**
 * The level each console method logs at (`console.log` is `info`).
 * @group Capture
 */
export const CONSOLE_METHOD_LEVEL = {
  trace: 'trace',
  debug: 'debug',
  log: 'info',
  info: 'info',
  warn: 'warn',
  error: 'error',
} as const satisfies Record<CapturedConsoleMethod, LogLevel>;

/**
 * Options of {@link captureConsole}.
 * @group Capture
 */
export interface CaptureConsoleOptions {
  /**
   * The console to patch.
   * @default globalThis.console
   */
  console?: Console;
}

type ConsoleFn = ((...args: unknown[]) => void) & { [ORIGINAL_CONSOLE_METHOD]?: ConsoleFn };

/** One patched console method and the original it replaced. */
interface ConsolePatch {
  readonly _method: CapturedConsoleMethod;
  readonly _patched: ConsoleFn;
  readonly _original: ConsoleFn;
}

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
 * @throws LogConfigError when `ctx` has no level methods, a method name or an option is unknown
 * @example
 * const stop = captureConsole(log.child('console'), ['info', 'warn', 'error']);
 * @group Capture
 */
export function captureConsole(
  ctx: CaptureTarget,
  methods: readonly CapturedConsoleMethod[] = ['warn', 'error'],
  options?: CaptureConsoleOptions,
): () => void {
  const owner = 'captureConsole';
  if (!Array.isArray(methods)) methods = [0 as never]; // fails below, with the list of methods
  for (const method of methods) {
    const level = CONSOLE_METHOD_LEVEL[method];
    if (typeof level !== 'string')
      configFail(
        owner,
        'methods must be an array of trace, debug, log, info, warn, error' +
          (typeof method == 'string'
            ? `, got \`${method}\`${didYouMean(method, Object.keys(CONSOLE_METHOD_LEVEL))}`
            : ''),
      );
    checkTarget(owner, ctx, level);
  }
  const { console: consoleOption } = checkedOptions(owner, options, ['console']);
  const target = (consoleOption ?? globalThis.console) as unknown as
    Record<string, ConsoleFn> | undefined;
  let forwarding = false;
  // Emptied on uninstall, which also turns a wrapper still in use (patched over) into a pass-through.
  const patches: ConsolePatch[] = [];

  for (const method of new Set(methods)) {
    const original = target?.[method];
    if (typeof original !== 'function') continue;
    const patched: ConsoleFn = function (this: unknown, ...args: unknown[]) {
      original.apply(this, args);
      if (!patches.length || forwarding) return; // reentrant: a sink or diagnostic wrote to the console
      forwarding = true;
      try {
        ctx[CONSOLE_METHOD_LEVEL[method]](consoleMessage(method, args), consolePayload(args));
      } catch {
        // The app's console call must never fail because of logging.
      } finally {
        forwarding = false;
      }
    };
    patched[ORIGINAL_CONSOLE_METHOD] = original;
    target![method] = patched;
    patches.push({ _method: method, _patched: patched, _original: original });
  }
  return () => {
    // Someone patched over us: leave their wrapper in place; ours passes through from now on.
    for (const patch of patches.splice(0))
      if (target![patch._method] === patch._patched) target![patch._method] = patch._original;
  };
}

/**
 * The message of a console call: a leading string as written (format directives like `%s`
 * included), an error's or a primitive's description, else `console.<method>`.
 */
function consoleMessage(method: CapturedConsoleMethod, args: readonly unknown[]): string {
  const [first] = args;
  if (typeof first === 'string') return first;
  if (!args.length) return '';
  return isErrorLike(first) || Object(first) !== first
    ? describeThrown(first)
    : `console.${method}`;
}

/**
 * The payload of a console call: the arguments after a leading string (one value, or an array of
 * them); without a leading string, the one argument or the array of all (`[]` for none).
 */
function consolePayload(args: readonly unknown[]): unknown {
  if (typeof args[0] !== 'string') return args.length === 1 ? args[0] : args;
  return args.length > 2 ? args.slice(1) : args[1];
}
