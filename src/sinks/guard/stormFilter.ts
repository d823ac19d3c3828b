import type { LogDiagnosticHandler } from '../../core/diagnostics.js';
import type { LogEvent } from '../../core/event.js';
import type { LogLevel } from '../../core/level.js';
import { createRateLimiter } from './rateLimiter.js';
import type { ResolvedStormOptions } from './stormOptions.js';
import { createWindowedReporter } from './windowedReport.js';

/**
 * Why storm protection suppressed an event.
 * @group Sinks
 */
export type StormSuppressReason = 'rate-limited' | 'duplicate-suppressed';

/** The last event forwarded from one namespace, and how many copies of it were suppressed since. */
interface NamespaceRun {
  _level: LogLevel;
  _message: string;
  _forwardedAt: number;
  _repeats: number;
}

// Namespaces whose last event is remembered for duplicate suppression; beyond it the memory is
// reset (repeats not yet attached are still counted in stats).
const MAX_TRACKED_NAMESPACES = 1000;

/** The decision part of storm protection, shared by `stormGuard` and `UploadSink`. */
export interface StormFilter {
  /**
   * The event to forward in place of `event` (itself, or a copy whose `context` carries `repeated`),
   * or undefined when it is suppressed (and counted). O(1).
   */
  _admit(event: LogEvent): LogEvent | undefined;
  /** Suppressed events by reason (the live counters; copy before handing out). */
  readonly _suppressed: Record<StormSuppressReason, number>;
}

/**
 * Creates a {@link StormFilter}: duplicate suppression first (a suppressed copy takes no token),
 * then the per-level rate limit. Time is the events' own `time`, so it needs no clock.
 * @param options - resolved storm options
 * @param fallbackDiagnostic - the handler when `options` has none (undefined: `console.warn`)
 * @param suppressed - where to count suppressions (an async sink's drop counters), else a new record
 */
export function createStormFilter(
  options: ResolvedStormOptions,
  fallbackDiagnostic?: LogDiagnosticHandler,
  suppressed: Record<StormSuppressReason, number> = {
    'rate-limited': 0,
    'duplicate-suppressed': 0,
  },
): StormFilter {
  const limiter =
    options._rateLimit === false
      ? undefined
      : createRateLimiter(options._refillPerMs, options._rateBurst);
  const runs = options._suppressDuplicates ? new Map<string, NamespaceRun>() : undefined;
  const reportGate = createWindowedReporter(
    options._onDiagnostic ?? fallbackDiagnostic,
    options._reportIntervalMs,
  );
  // One counter and report gate per reason: no lookup by a reason name while a storm is suppressed.
  const counted = (reason: StormSuppressReason, what: string) => {
    const reports = reportGate(reason);
    let sinceReport = 0;
    return (time: number): undefined => {
      suppressed[reason]++;
      sinceReport++;
      if (reports._due(time)) {
        reports._send(
          `${sinceReport} events suppressed since the last report: ${what}; counted in stats()`,
          time,
        );
        sinceReport = 0;
      }
      return undefined;
    };
  };
  const rateLimited = counted(
    'rate-limited',
    `over the rate limit (${options._rateLimit} per level per ${options._rateIntervalMs} ms, burst ${options._rateBurst})`,
  );
  const duplicate = counted(
    'duplicate-suppressed',
    `identical to the previous event of their namespace (within ${options._duplicateWindowMs} ms)`,
  );

  return {
    _suppressed: suppressed,
    _admit(event) {
      const run = runs?.get(event.namespace);
      if (
        run &&
        run._message === event.message &&
        run._level === event.level &&
        event.time - run._forwardedAt < options._duplicateWindowMs &&
        event.time >= run._forwardedAt
      ) {
        run._repeats++;
        return duplicate(event.time);
      }
      if (limiter && !limiter._allows(event.severity, event.time)) return rateLimited(event.time);
      if (!runs) return event;
      if (!run) {
        if (runs.size >= MAX_TRACKED_NAMESPACES) runs.clear();
        runs.set(event.namespace, {
          _level: event.level,
          _message: event.message,
          _forwardedAt: event.time,
          _repeats: 0,
        });
        return event;
      }
      const repeated = run._repeats;
      run._level = event.level;
      run._message = event.message;
      run._forwardedAt = event.time;
      run._repeats = 0;
      return repeated ? withRepeated(event, repeated) : event;
    },
  };
}

/** A frozen copy of `event` (same id and time) whose context carries `repeated`. */
function withRepeated(event: LogEvent, repeated: number): LogEvent {
  return Object.freeze({ ...event, context: Object.freeze({ ...event.context, repeated }) });
}
