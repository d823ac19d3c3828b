import { configFail } from '../../core/check.js';
import type { LogEvent } from '../../core/event.js';
import type { LogSink } from '../../core/sink.js';
import { createStormFilter, type StormSuppressReason } from './stormFilter.js';
import { resolveStormOptions, type StormProtectionOptions } from './stormOptions.js';

export type { StormSuppressReason } from './stormFilter.js';
export type { StormProtectionOptions } from './stormOptions.js';

/**
 * Counters of a {@link stormGuard} wrapper:
 * `received = forwarded + suppressed['rate-limited'] + suppressed['duplicate-suppressed'] + closed`.
 * @group Sinks
 */
export interface StormGuardStats {
  /** Events given to `log()`. */
  received: number;
  /** Events forwarded to the wrapped sink. */
  forwarded: number;
  /** Events not forwarded, by reason; every key present. */
  suppressed: Record<StormSuppressReason, number>;
  /** Events logged after `close()`. */
  closed: number;
}

/**
 * A {@link LogSink} returned by {@link stormGuard}.
 * @group Sinks
 */
export interface StormGuardSink<Inner extends LogSink = LogSink> extends LogSink {
  /** The wrapped sink. */
  readonly sink: Inner;
  /** Flushes the wrapped sink. Never rejects. */
  flush(): Promise<void>;
  /** Closes the wrapped sink; later events are counted `closed`. Never rejects. */
  close(): Promise<void>;
  /** A snapshot of the counters. */
  stats(): StormGuardStats;
}

/**
 * Wraps `sink` with storm protection: a per-level rate limit (token bucket with a burst) and the
 * suppression of identical consecutive events per namespace, each suppression counted in
 * `stats()` and reported through diagnostics at most once per `reportIntervalMs`. O(1) per event.
 *
 * @param sink - where admitted events go
 * @param options - see {@link StormProtectionOptions}
 * @throws LogConfigError on an unknown option or a bad value
 * @example
 * const sinks = { upload: stormGuard(new CustomSink(), { rateLimit: 600, rateBurst: 60 }) };
 * @group Sinks
 */
export function stormGuard<Inner extends LogSink>(
  sink: Inner,
  options?: StormProtectionOptions,
): StormGuardSink<Inner> {
  if (typeof sink?.log !== 'function') configFail('stormGuard', '`sink` must have log(event)');
  const filter = createStormFilter(resolveStormOptions('stormGuard', options));
  let received = 0;
  let forwarded = 0;
  let closedCount = 0; // events logged after close()
  let closed = false; // a boolean for the hot path's test (closing is a promise)
  let closing: Promise<void> | undefined;
  return {
    sink,
    log(event: LogEvent) {
      received++;
      if (closed) {
        closedCount++;
        return;
      }
      const admitted = filter._admit(event);
      if (!admitted) return;
      forwarded++;
      sink.log(admitted); // a throw reaches the context, which reports it as this sink's
    },
    async flush() {
      try {
        await sink.flush?.();
      } catch {
        // the wrapped sink's own failure; flush never rejects
      }
    },
    close() {
      closed = true;
      closing ??= (async () => {
        try {
          await sink.close?.();
        } catch {
          // the wrapped sink's own failure; close never rejects
        }
      })();
      return closing;
    },
    stats: () => ({
      received,
      forwarded,
      suppressed: { ...filter._suppressed },
      closed: closedCount,
    }),
  };
}
