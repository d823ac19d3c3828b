import type { LogEvent } from '../../core/event.js';
import { lastNormalized } from '../../payload/lastNormalized.js';

// What a JSON record adds around the namespace, message, payload and context: the keys, the id
// (~20 characters), the time, the level and the severity, with their punctuation.
const EVENT_OVERHEAD_BYTES = 120;
// `,"context":` before a bound context's value.
const CONTEXT_KEY_BYTES = 11;
// `,"traceId":"` + 32 hex digits + `"`, `,"spanId":"` + 16 + `"`, `,"traceFlags":255`.
const TRACE_ID_BYTES = 45;
const SPAN_ID_BYTES = 28;
const TRACE_FLAGS_BYTES = 17;
// Normalized payloads are shallow (the processor bounds their depth); below this the walk stops
// and a nested value is counted as this many bytes, so a custom processor's cycle cannot hang it.
const MAX_WALK_DEPTH = 12;
const DEEP_VALUE_BYTES = 64;

/**
 * An estimate of an event's JSON size, for byte bounds of in-memory buffers: the lengths of its
 * strings (UTF-16 code units, which is also what they take in memory per character of ASCII) plus
 * punctuation. The payload the default normalizer returned last is counted by its exact UTF-8 JSON
 * bytes (no second walk on the hot path); any other payload, and the context, are walked without
 * allocating (the processor already bounds their size, so the walk is bounded too).
 * @param event - the event to measure
 */
export function estimateEventBytes(event: LogEvent): number {
  return (
    EVENT_OVERHEAD_BYTES +
    event.namespace.length +
    event.message.length +
    // the normalizer's exact count when the payload is what it returned last (no second walk)
    (event.payload === lastNormalized._value && event.payload !== undefined
      ? lastNormalized._bytes
      : estimateValueBytes(event.payload, 0)) +
    (event.context === undefined ? 0 : CONTEXT_KEY_BYTES + estimateValueBytes(event.context, 0)) +
    (event.traceId === undefined ? 0 : traceBytes(event))
  );
}

/** The trace fields of an event that has a `traceId` (with their keys). */
function traceBytes(event: LogEvent): number {
  return (
    TRACE_ID_BYTES +
    (event.spanId === undefined ? 0 : SPAN_ID_BYTES) +
    (event.traceFlags === undefined ? 0 : TRACE_FLAGS_BYTES)
  );
}

function estimateValueBytes(value: unknown, depth: number): number {
  switch (typeof value) {
    case 'undefined':
      return 0;
    case 'string':
      return value.length + 2;
    case 'boolean':
      return 5;
    case 'object': {
      if (value === null) return 4;
      if (depth >= MAX_WALK_DEPTH) return DEEP_VALUE_BYTES;
      let bytes = 2;
      if (Array.isArray(value)) {
        for (let index = 0; index < value.length; index++)
          bytes += 1 + estimateValueBytes(value[index], depth + 1);
      } else {
        const record = value as Record<string, unknown>;
        // for...in walks the keys without building an array of them
        for (const key in record)
          bytes += key.length + 4 + estimateValueBytes(record[key], depth + 1);
      }
      return bytes;
    }
    default:
      return 8; // numbers and anything a custom processor left in
  }
}
