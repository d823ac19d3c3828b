import type { LogEvent } from '../../core/event.js';
import { assembleBody, guarded, type BatchEncoder } from './encoder.js';

/** Instrumentation scope of every record. Keep in step with package.json (a unit test checks). */
export const OTLP_SCOPE = { name: 'mvx-logger', version: '0.1.0' } as const;

// Values above this many ms overflow int64 nanoseconds.
const MAX_UNIX_MS = 9_223_372_036_854;

/**
 * Epoch milliseconds (possibly fractional) as OTLP's decimal nanosecond string, without float
 * error: the integer ms are printed as-is and the fraction becomes six digits.
 * @param ms - epoch milliseconds
 */
export function msToUnixNano(ms: number): string {
  if (!(ms >= 0 && ms < MAX_UNIX_MS)) return '0';
  let whole = Math.floor(ms);
  let frac = Math.round((ms - whole) * 1e6);
  if (frac >= 1e6) {
    whole += 1;
    frac -= 1e6;
  }
  return whole === 0 ? String(frac) : String(whole) + String(frac).padStart(6, '0');
}

/** OTLP `AnyValue` in its JSON form: exactly one field set, or none for null. */
export type OtlpAnyValue =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: string }
  | { doubleValue: number }
  | { arrayValue: { values: OtlpAnyValue[] } }
  | { kvlistValue: { values: OtlpKeyValue[] } }
  | Record<string, never>;

/** OTLP `KeyValue`. */
export interface OtlpKeyValue {
  key: string;
  value: OtlpAnyValue;
}

// Normalized payloads are already depth-bounded; this only guards hand-made events.
const MAX_DEPTH = 32;

/**
 * Maps a JSON-safe value to a typed OTLP `AnyValue`: strings, booleans, safe integers as `intValue`
 * (int64 is a decimal string in OTLP JSON), other finite numbers as `doubleValue` (NaN and
 * Infinity as readable strings), arrays as `arrayValue`, objects as `kvlistValue`, null/undefined
 * as an empty value, anything else (bigint, symbol, function) as a string.
 */
const anyValue = (value: any, depth: number): OtlpAnyValue => {
  const type = typeof value;
  if (type === 'string') return { stringValue: value };
  if (type === 'boolean') return { boolValue: value };
  if (type === 'number' && isFinite(value))
    return Number.isSafeInteger(value) ? { intValue: String(value) } : { doubleValue: value };
  if (value == null) return {};
  if (type !== 'object') return { stringValue: String(value) };
  if (depth >= MAX_DEPTH) return { stringValue: '[MaxDepth]' };
  return Array.isArray(value)
    ? { arrayValue: { values: value.map((item) => anyValue(item, depth + 1)) } }
    : { kvlistValue: { values: keyValues(value, depth + 1) } };
};

/**
 * An object's own enumerable keys as `KeyValue`s appended to `out`, skipping keys already in `seen`
 * (OTLP requires unique keys).
 */
const keyValues = (
  object: any,
  depth: number,
  seen?: Set<string>,
  out: OtlpKeyValue[] = [],
): OtlpKeyValue[] => {
  for (const key of Object.keys(object))
    if (!seen?.has(key)) {
      seen?.add(key);
      out.push({ key, value: anyValue(object[key], depth) });
    }
  return out;
};

/**
 * Options of {@link encodeOtlpLogs}.
 * @group Sinks
 */
export interface OtlpEncoderOptions {
  /** Resource attributes (`service.name`, …); `telemetry.sdk.*` are added unless given. */
  resource?: Readonly<Record<string, unknown>>;
  /** Clock for `observedTimeUnixNano`. @default Date.now */
  now?: () => number;
}

/**
 * One logRecord. Attributes: the event id (`log.record.uid`) and namespace (`mvx.namespace`), then
 * the payload's top-level keys (a non-object payload goes under `mvx.payload`), then context keys
 * not already present. Nested objects become `kvlistValue`s.
 */
function otlpRecord(event: LogEvent, observedMs: number) {
  const seen = new Set<string>();
  const payload = event.payload;
  const attributes = keyValues(
    { 'log.record.uid': String(event.id), 'mvx.namespace': String(event.namespace) },
    1,
    seen,
  );
  const payloadIsRecord =
    payload === undefined || (payload && typeof payload === 'object' && !Array.isArray(payload));
  for (const source of [payloadIsRecord ? payload : { 'mvx.payload': payload }, event.context])
    if (source) keyValues(source, 1, seen, attributes);
  return {
    timeUnixNano: msToUnixNano(event.time),
    observedTimeUnixNano: msToUnixNano(observedMs),
    severityNumber: event.severity,
    severityText: String(event.level).toUpperCase(),
    body: { stringValue: String(event.message) },
    attributes,
  };
}

/**
 * The OTLP/HTTP JSON logs encoding (`ExportLogsServiceRequest`): one `resourceLogs` with one
 * `scopeLogs` (scope `mvx-logger`) holding one `logRecord` per event. See docs/upload.md for the
 * field mapping.
 * @param options - resource attributes and clock
 */
export function otlpEncoder(options: OtlpEncoderOptions = {}): BatchEncoder {
  const now = options.now ?? Date.now;
  const resource = keyValues(
    {
      'telemetry.sdk.name': OTLP_SCOPE.name,
      'telemetry.sdk.language': 'webjs',
      'telemetry.sdk.version': OTLP_SCOPE.version,
      ...options.resource,
    },
    0,
  );
  return {
    _open:
      `{"resourceLogs":[{"resource":{"attributes":${JSON.stringify(resource)}},` +
      `"scopeLogs":[{"scope":${JSON.stringify(OTLP_SCOPE)},"logRecords":[`,
    // The record holds only strings, numbers and plain objects: JSON.stringify cannot fail on it.
    _record: guarded((event) => JSON.stringify(otlpRecord(event, now()))),
    _close: ']}]}]}',
  };
}

/**
 * Encodes a batch as an OTLP/HTTP JSON `ExportLogsServiceRequest` body.
 * @param events - the events, oldest first
 * @param options - resource attributes and clock
 * @group Sinks
 */
export function encodeOtlpLogs(events: readonly LogEvent[], options?: OtlpEncoderOptions): string {
  return assembleBody(otlpEncoder(options), events);
}
