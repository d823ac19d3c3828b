import type { LogEvent } from '../../core/event.js';
import { assembleBody, guarded, type BatchEncoder } from './encoder.js';
import { jsonString, keyValuesJson } from './otlpValue.js';

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

/** The trace context an event may carry (set by `LogContext`'s `traceContext` option). */
type TracedEvent = LogEvent & {
  readonly traceId?: unknown;
  readonly spanId?: unknown;
  readonly traceFlags?: unknown;
};

// OTLP JSON writes trace and span ids as hex of exactly 32 and 16 digits; anything else is a 400
// for the whole request, so a malformed id is left out rather than sent.
const TRACE_ID = /^[0-9a-f]{32}$/i;
const SPAN_ID = /^[0-9a-f]{16}$/i;

/** `"traceId":…,"spanId":…,"flags":…,` for the fields the event carries in a valid form. */
function traceFieldsJson(event: TracedEvent): string {
  const { traceId, spanId, traceFlags } = event;
  let json = '';
  if (typeof traceId === 'string' && TRACE_ID.test(traceId))
    json += `"traceId":"${traceId.toLowerCase()}",`;
  if (typeof spanId === 'string' && SPAN_ID.test(spanId))
    json += `"spanId":"${spanId.toLowerCase()}",`;
  if (Number.isInteger(traceFlags) && (traceFlags as number) >= 0 && (traceFlags as number) < 256)
    json += `"flags":${traceFlags},`;
  return json;
}

/**
 * One logRecord's JSON. Attributes: the event id (`log.record.uid`) and namespace
 * (`mvx.namespace`), then the payload's top-level keys (a non-object payload goes under
 * `mvx.payload`), then context keys not already present. Nested objects become `kvlistValue`s.
 * The event's `traceId`, `spanId` and `traceFlags` become `traceId`, `spanId` and `flags`.
 */
function otlpRecordJson(event: TracedEvent, observedMs: number): string {
  const seen = new Set<string>();
  const payload = event.payload;
  const attributes = keyValuesJson(
    { 'log.record.uid': String(event.id), 'mvx.namespace': String(event.namespace) },
    1,
    seen,
  );
  const payloadIsRecord =
    payload === undefined || (payload && typeof payload === 'object' && !Array.isArray(payload));
  for (const source of [payloadIsRecord ? payload : { 'mvx.payload': payload }, event.context])
    if (source) keyValuesJson(source, 1, seen, attributes);
  const severity = Number(event.severity);
  return (
    `{"timeUnixNano":"${msToUnixNano(event.time)}",` +
    `"observedTimeUnixNano":"${msToUnixNano(observedMs)}",` +
    // an enum: an integer or nothing (a hand-made event may carry anything)
    (Number.isInteger(severity) && severity >= 0 ? `"severityNumber":${severity},` : '') +
    `"severityText":${jsonString(String(event.level).toUpperCase())},` +
    `"body":{"stringValue":${jsonString(String(event.message))}},` +
    traceFieldsJson(event) +
    `"attributes":[${attributes.join(',')}]}`
  );
}

/**
 * The OTLP/HTTP JSON logs encoding (`ExportLogsServiceRequest`): one `resourceLogs` with one
 * `scopeLogs` (scope `mvx-logger`) holding one `logRecord` per event. See docs/upload.md for the
 * field mapping.
 * @param options - resource attributes and clock
 */
export function otlpEncoder(options: OtlpEncoderOptions = {}): BatchEncoder {
  const now = options.now ?? Date.now;
  const resourceAttributes = keyValuesJson(
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
      `{"resourceLogs":[{"resource":{"attributes":[${resourceAttributes.join(',')}]},` +
      `"scopeLogs":[{"scope":${JSON.stringify(OTLP_SCOPE)},"logRecords":[`,
    _record: guarded((event) => otlpRecordJson(event, now())),
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
