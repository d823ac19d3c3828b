import type { Diagnostics } from '../core/diagnostics.js';
import {
  isSpanId,
  isTraceFlags,
  isTraceId,
  type LogTraceContext,
  type LogTraceContextSource,
} from '../core/traceContext.js';

/**
 * Wraps a `traceContext` option into a reader that never throws and returns only valid values:
 * a throw is reported once and read as no trace; malformed ids drop the trace, malformed flags
 * drop only the flags, each reported once. The last valid ids are remembered, so a source that
 * keeps returning the same span costs two string compares per event, not two regex tests.
 * The returned object is the reader's own, reused by the next call: copy its fields at once.
 */
export function createTraceReader(
  source: LogTraceContextSource,
  { _report: report }: Diagnostics,
): () => LogTraceContext | undefined {
  // Start as an object no returned id can equal, so the first ids are always validated.
  let lastTraceId: unknown = {};
  let lastSpanId: unknown = lastTraceId;
  // Values are read from the source's object once, into this record: no allocation per event.
  const current: { traceId: string; spanId: string; traceFlags: number | undefined } = {
    traceId: '',
    spanId: '',
    traceFlags: undefined,
  };
  return (): LogTraceContext | undefined => {
    try {
      const trace = source();
      if (trace == null) return undefined;
      const { traceId, spanId, traceFlags } = trace;
      if (traceId !== lastTraceId || spanId !== lastSpanId) {
        if (!isTraceId(traceId) || !isSpanId(spanId)) {
          report('trace-context-malformed', 'traceId/spanId not 32/16 lowercase hex; dropped');
          return undefined;
        }
        lastTraceId = traceId;
        lastSpanId = spanId;
      }
      current.traceId = traceId;
      current.spanId = spanId;
      current.traceFlags = traceFlags;
      if (traceFlags !== undefined && !isTraceFlags(traceFlags)) {
        report('trace-flags-malformed', 'traceFlags not an integer 0-255; dropped');
        current.traceFlags = undefined;
      }
      return current;
    } catch (error) {
      // The source threw, or returned a hostile object (a throwing getter, a revoked Proxy).
      report('trace-context-threw', 'traceContext() threw; no trace', error);
      return undefined;
    }
  };
}
