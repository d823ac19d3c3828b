import { originalConsoleMethod, type LogDiagnosticHandler } from '../../core/diagnostics.js';

/**
 * A diagnostics channel for counted suppressions: each kind is reported at most once per window,
 * so a storm that suppresses a million events produces one report a minute, not a million.
 */
export interface WindowedReporter {
  /**
   * Whether a report of `kind` is due at `time` (never reported, or the window has passed since
   * the last report). Cheap; call it before building the message.
   */
  due(kind: string, time: number): boolean;
  /** Reports `kind` now and starts its window at `time`. Never throws, never recurses. */
  send(kind: string, message: string, time: number): void;
}

/**
 * Creates a {@link WindowedReporter} over `handler`, by default `console.warn` as captured now.
 * @param handler - where reports go
 * @param windowMs - the shortest time between two reports of one kind
 */
export function createWindowedReporter(
  handler: LogDiagnosticHandler | undefined,
  windowMs: number,
): WindowedReporter {
  const lastReportAt = new Map<string, number>();
  const warn = handler ? undefined : originalConsoleMethod('warn');
  let reporting = false;
  return {
    due(kind, time) {
      const last = lastReportAt.get(kind);
      // A clock that went backwards (the user changed it) also opens a new window.
      return last === undefined || time - last >= windowMs || time < last;
    },
    send(kind, message, time) {
      if (reporting) return;
      lastReportAt.set(kind, time);
      reporting = true;
      try {
        if (warn) warn(`[mvx-logger] ${kind}: ${message}`);
        else handler!({ kind, message });
      } catch {
        // A throwing handler has nowhere left to report to.
      }
      reporting = false;
    },
  };
}
