import { checkedOptions, configFail, fnOption, isRecord } from '../../core/check.js';
import type { LogEvent } from '../../core/event.js';
import { isSpanId, isTraceFlags, isTraceId } from '../../core/traceContext.js';
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

/** A string lowercased (OTLP JSON writes ids in lowercase hex); anything else as it is. */
const lowercased = (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : value);

/**
 * `"traceId":…,"spanId":…,"flags":…,` for the fields the event carries in a valid form (ids in any
 * case, not all zeros): a malformed id is a 400 for the whole request, so it is left out.
 */
function traceFieldsJson(event: TracedEvent): string {
  const traceId = lowercased(event.traceId);
  const spanId = lowercased(event.spanId);
  let json = '';
  if (isTraceId(traceId)) json += `"traceId":"${traceId}",`;
  if (isSpanId(spanId)) json += `"spanId":"${spanId}",`;
  if (isTraceFlags(event.traceFlags)) json += `"flags":${event.traceFlags},`;
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
  const payloadIsRecord = payload === undefined || isRecord(payload);
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

const ENCODE_OWNER = 'encodeOtlpLogs';

/**
 * Encodes a batch as an OTLP/HTTP JSON `ExportLogsServiceRequest` body.
 * @param events - the events, oldest first
 * @param options - resource attributes and clock
 * @throws LogConfigError on an unknown option name, a `resource` that is not an object, a `now`
 *   that is not a function
 * @group Sinks
 */
export function encodeOtlpLogs(events: readonly LogEvent[], options?: OtlpEncoderOptions): string {
  // (UploadSink checks its own `resource` option: only this public entry checks here)
  const checked = checkedOptions(ENCODE_OWNER, options, ['resource', 'now']);
  if (checked.resource !== undefined && !isRecord(checked.resource))
    configFail(ENCODE_OWNER, '`resource` must be an object of attributes');
  fnOption(ENCODE_OWNER, checked, 'now', undefined);
  return assembleBody(otlpEncoder(checked), events);
}
