import type { LogEvent } from '../../core/event.js';
import { wellFormedJson } from './wellFormed.js';

/**
 * A body encoding split so records can be encoded once (when the event is accepted) and batches
 * assembled by concatenation: `open + records.join(',') + close`.
 */
export interface BatchEncoder {
  /** Everything before the first record. */
  readonly _open: string;
  /** One event's record (never throws). */
  readonly _record: (event: LogEvent) => string;
  /** Everything after the last record. */
  readonly _close: string;
}

/**
 * Assembles a body.
 * @param encoder - the envelope and the record encoding
 * @param events - the events, oldest first
 * @param record - the record of one event (default: encoded now)
 */
export function assembleBody(
  encoder: BatchEncoder,
  events: readonly LogEvent[],
  record = encoder._record,
): string {
  return encoder._open + events.map((event) => record(event)).join(',') + encoder._close;
}

/**
 * `JSON.stringify` as well-formed Unicode (lone surrogates → U+FFFD), with BigInt as a decimal string (tried only after the fast plain call failed).
 * @param value - what to encode
 */
export function stringify(value: unknown): string {
  let json;
  try {
    json = JSON.stringify(value);
  } catch {
    json = JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? String(v) : v));
  }
  return wellFormedJson(json);
}

/** Trace context fields an event may carry. */
type TraceFields = { traceId?: string; spanId?: string; traceFlags?: number };

/**
 * A record encoding that never throws: an event it cannot encode (only a hand-made one, with a
 * cycle or hostile values, in any field) is encoded again from its routing and identifying fields
 * only, with its payload replaced by a marker, so what routes and identifies it still arrives.
 * @param encode - the record encoding
 */
export const guarded =
  (encode: (event: LogEvent) => string) =>
  (event: LogEvent): string => {
    try {
      return encode(event);
    } catch {
      const { id, namespace, level, severity, message, time } = event;
      const { traceId, spanId, traceFlags } = event as TraceFields;
      const routing = {
        id,
        namespace,
        level,
        severity,
        message,
        time,
        traceId,
        spanId,
        traceFlags,
      };
      return encode({ ...routing, payload: '[Unserializable]' });
    }
  };
