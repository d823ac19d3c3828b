/**
 * One report from the SDK about its own failures (a throwing sink, a dropped batch, ...).
 * @group Types
 */
export interface LogDiagnostic {
  /** Stable machine-readable kind, e.g. `sink-threw`, `payload-threw`, `storage-fallback`. */
  readonly kind: string;
  readonly message: string;
  readonly error?: unknown;
}

/**
 * Receives diagnostics. Must not throw; if it does, the SDK swallows it.
 * @group Types
 */
export type LogDiagnosticHandler = (diagnostic: LogDiagnostic) => void;

/** Marks a patched console method with the original it replaced (see `captureConsole`). */
export const ORIGINAL_CONSOLE_METHOD: unique symbol = Symbol.for(
  'mvx-logger.originalConsoleMethod',
);

type ConsoleMethod = (...args: unknown[]) => void;

/**
 * Returns `console[name]` as it was before any SDK patch, bound to the console, or a no-op.
 * Capturing at creation means diagnostics and console output never loop through a capture.
 */
export function originalConsoleMethod(
  name: 'debug' | 'info' | 'warn' | 'error' | 'log',
  target: Console | undefined = (globalThis as { console?: Console }).console,
): ConsoleMethod {
  let fn = target?.[name] as
    (ConsoleMethod & { [ORIGINAL_CONSOLE_METHOD]?: ConsoleMethod }) | undefined;
  while (fn?.[ORIGINAL_CONSOLE_METHOD]) fn = fn[ORIGINAL_CONSOLE_METHOD];
  return typeof fn == 'function' ? fn.bind(target) : () => {};
}

/** A diagnostics channel: each kind is reported once, and a report can never recurse into itself. */
export interface Diagnostics {
  _report(kind: string, message: string, error?: unknown): void;
  /**
   * Makes `handler` the channel's destination when it was created without one (the first adopted
   * handler wins): how a sink reports through the `onDiagnostic` of the context using it.
   */
  _adopt(handler: LogDiagnosticHandler): void;
}

/**
 * Creates a diagnostics channel over `handler`, by default an adopted handler, else
 * `console.warn` as captured now.
 * @param handler - where reports go
 */
export function createDiagnostics(handler?: LogDiagnosticHandler): Diagnostics {
  const seen = new Set<string>();
  let reporting = false;
  let adopted: LogDiagnosticHandler | undefined;
  const warn = handler ? 0 : originalConsoleMethod('warn');
  return {
    _adopt(fallback) {
      if (!handler && !adopted && typeof fallback == 'function') adopted = fallback;
    },
    _report(kind, message, error) {
      if (reporting || seen.has(kind)) return;
      seen.add(kind);
      reporting = true;
      try {
        const target = handler ?? adopted;
        if (target) target(error === undefined ? { kind, message } : { kind, message, error });
        else if (warn)
          warn(`[mvx-logger] ${kind}: ${message}`, ...(error === undefined ? [] : [error]));
      } catch {
        // A throwing handler has nowhere left to report to.
      }
      reporting = false;
    },
  };
}
