import { configFail } from '../../core/check.js';
import type { LogEvent } from '../../core/event.js';
import type { LogSink } from '../../core/sink.js';
import { estimateEventBytes } from './eventSize.js';
import {
  resolveFingersCrossedOptions,
  type FingersCrossedOptions,
} from './fingersCrossedOptions.js';
import { createHeldRing } from './heldRing.js';
import { createPassThrough } from './passThrough.js';
import { createWindowedReporter } from './windowedReport.js';

export type { FingersCrossedOptions, FingersCrossedScope } from './fingersCrossedOptions.js';

/**
 * Why a {@link fingersCrossed} wrapper did not forward an event: held and pushed out of the ring
 * before any trigger (`evicted-unreleased`), still held when the wrapper closed
 * (`unreleased-at-close`), or logged after close (`closed`).
 * @group Sinks
 */
export type FingersCrossedDropReason = 'evicted-unreleased' | 'unreleased-at-close' | 'closed';

/**
 * Counters of a {@link fingersCrossed} wrapper. Every event it received is in exactly one place:
 * `received = triggers + released + passedThrough + held + dropped[every reason]`.
 * @group Sinks
 */
export interface FingersCrossedStats {
  /** Events given to `log()`. */
  received: number;
  /** Events at or above the trigger level (forwarded at once). */
  triggers: number;
  /** Held events forwarded because a trigger released them. */
  released: number;
  /** Events below the trigger level forwarded at once, inside a pass-through window. */
  passedThrough: number;
  /** Events held now. */
  held: number;
  /** Estimated bytes of `held`. */
  heldBytes: number;
  /** Events never forwarded, by reason; every key present. */
  dropped: Record<FingersCrossedDropReason, number>;
}

/**
 * A {@link LogSink} returned by {@link fingersCrossed}.
 * @group Sinks
 */
export interface FingersCrossedSink<Inner extends LogSink = LogSink> extends LogSink {
  /** The wrapped sink. */
  readonly sink: Inner;
  /** Forwards every held event now (oldest first), as a trigger would, without a pass-through window. */
  release(): void;
  /** Flushes the wrapped sink; held events stay held. Never rejects. */
  flush(): Promise<void>;
  /** Drops what is held (counted `unreleased-at-close`) and closes the wrapped sink. Never rejects. */
  close(): Promise<void>;
  /** A snapshot of the counters. */
  stats(): FingersCrossedStats;
}

/**
 * Wraps `sink` so that low-level events are held in a bounded ring and forwarded only when an event
 * at or above `triggerLevel` arrives: the held events of its scope first (oldest first, with their
 * own time and id), then the trigger, then, for `passThroughMs`, everything of that scope. Events
 * pushed out of the ring before a trigger are counted, never forwarded. Holding an event is O(1)
 * and allocates nothing but its ring slot (preallocated).
 *
 * The policy must let the low-level events reach the wrapper: give its sink name a filter at the
 * hold level (e.g. `policy.setFilter('buffer', '', 'debug')`), while other sinks (the console)
 * keep their own filters.
 *
 * @param sink - where forwarded events go, e.g. an `IndexedDbSink` (so the context of an error is
 *   as durable as the error)
 * @param options - see {@link FingersCrossedOptions}
 * @throws LogConfigError on an unknown option or a bad value
 * @example
 * const policy = new LogEventPolicy().setFilter('console', '', 'info').setFilter('buffer', '', 'debug');
 * const buffer = fingersCrossed(new IndexedDbSink({ drainTo: upload }), { triggerLevel: 'error' });
 * const log = new LogContext({ namespace: 'shop', policy, sinks: { console: new ConsoleSink(), buffer } });
 * log.debug('cart loaded'); // held
 * log.error('checkout failed'); // 'cart loaded', then this error, reach the IndexedDbSink
 * @group Sinks
 */
export function fingersCrossed<Inner extends LogSink>(
  sink: Inner,
  options?: FingersCrossedOptions,
): FingersCrossedSink<Inner> {
  if (typeof sink?.log !== 'function') configFail('fingersCrossed', '`sink` must have log(event)');
  const resolved = resolveFingersCrossedOptions(options);
  const ring = createHeldRing(resolved._maxHeldEvents, resolved._maxHeldBytes);
  const passThrough = createPassThrough(resolved._namespaceScope, resolved._passThroughMs);
  const reportGate = createWindowedReporter(resolved._onDiagnostic, resolved._reportIntervalMs);
  const sinkThrewReports = reportGate('sink-threw');
  const evictionReports = reportGate('fingers-crossed-evicted');
  const triggerSeverity = resolved._triggerSeverity;
  const counts = { received: 0, triggers: 0, released: 0, passedThrough: 0 };
  const dropped: Record<FingersCrossedDropReason, number> = {
    'evicted-unreleased': 0,
    'unreleased-at-close': 0,
    closed: 0,
  };
  let evictedAtLastReport = 0; // the eviction count the last report covered
  let closed = false; // a boolean for the hot path's test (closing is a promise)
  let closing: Promise<void> | undefined;

  const forward = (event: LogEvent) => {
    try {
      sink.log(event);
    } catch (error) {
      if (sinkThrewReports._due(event.time))
        sinkThrewReports._send(
          `fingersCrossed: the wrapped sink's log() threw: ${String(error)}`,
          event.time,
        );
    }
  };

  const releaseAll = () => {
    const taken = ring._take();
    counts.released += taken.length;
    for (const event of taken) forward(event);
  };

  return {
    sink,
    log(event) {
      counts.received++;
      if (closed) {
        dropped.closed++;
        return;
      }
      if (event.severity >= triggerSeverity) {
        counts.triggers++;
        const taken = ring._take(passThrough.scopeOf(event.namespace));
        counts.released += taken.length;
        for (const held of taken) forward(held);
        passThrough.open(event.namespace, event.time);
        forward(event);
      } else if (passThrough.covers(event)) {
        counts.passedThrough++;
        forward(event);
      } else {
        const evicted = ring._hold(event, estimateEventBytes(event));
        if (evicted) {
          dropped['evicted-unreleased'] += evicted;
          if (evictionReports._due(event.time)) {
            const evictedTotal = dropped['evicted-unreleased'];
            evictionReports._send(
              `${evictedTotal - evictedAtLastReport} held events evicted unreleased (no trigger ` +
                `before the ring was full: maxHeldEvents ${resolved._maxHeldEvents}, maxHeldBytes ` +
                `${resolved._maxHeldBytes}); counted in stats().dropped['evicted-unreleased']`,
              event.time,
            );
            evictedAtLastReport = evictedTotal;
          }
        }
      }
    },
    release: releaseAll,
    async flush() {
      try {
        await sink.flush?.();
      } catch {
        // the wrapped sink's own failure; flush never rejects
      }
    },
    close() {
      if (!closing) {
        const taken = ring._take();
        dropped['unreleased-at-close'] += taken.length;
        closed = true;
        closing = (async () => {
          try {
            await sink.close?.();
          } catch {
            // the wrapped sink's own failure; close never rejects
          }
        })();
      }
      return closing;
    },
    stats: () => ({
      ...counts,
      held: ring._heldCount(),
      heldBytes: ring._heldBytes(),
      dropped: { ...dropped },
    }),
  };
}
