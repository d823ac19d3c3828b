import { originalConsoleMethod, type LogDiagnosticHandler } from '../../core/diagnostics.js';

/**
 * One kind of report on a diagnostics channel, sent at most once per window: a storm that
 * suppresses a million events produces one report a minute, not a million.
 */
export interface ReportGate {
  /**
   * Whether a report is due at `time` (never sent, or the window has passed since the last one).
   * A comparison of two numbers, cheap enough for every event; call it before building the message.
   */
  _due(time: number): boolean;
  /** Reports now and starts the window at `time`. Never throws, never recurses. */
  _send(message: string, time: number): void;
}

/**
 * Creates a function that gives the {@link ReportGate} of each kind, all reporting to `handler`
 * (by default `console.warn` as captured now); a report sent from inside another is dropped.
 * @param handler - where reports go
 * @param windowMs - the shortest time between two reports of one kind
 */
export function createWindowedReporter(
  handler: LogDiagnosticHandler | undefined,
  windowMs: number,
): (kind: string) => ReportGate {
  const warn = handler ? undefined : originalConsoleMethod('warn');
  let reporting = false;
  return (kind) => {
    let lastReportAt = -Infinity;
    return {
      // A clock that went backwards (the user changed it) also opens a new window.
      _due: (time) => time - lastReportAt >= windowMs || time < lastReportAt,
      _send(message, time) {
        if (reporting) return;
        lastReportAt = time;
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
  };
}
