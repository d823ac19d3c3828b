import type { LogEvent } from '../../core/event.js';
import { assembleBody, safeStringify, type BatchEncoder } from './encoder.js';
import { toAnyValue, toKeyValues, type OtlpKeyValue } from './otlpValue.js';

/** Instrumentation scope of every record. Keep in step with package.json (a unit test checks). */
export const OTLP_SCOPE = { name: 'mvx-logger', version: '0.1.0' } as const;

/** Attribute keys the encoder owns; payload and context keys with these names are skipped. */
export const OTLP_ATTRIBUTE = {
  id: 'log.record.uid',
  namespace: 'mvx.namespace',
  payload: 'mvx.payload',
} as const;

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

/** Options of {@link otlpEncoder}. */
export interface OtlpEncoderOptions {
  /** Resource attributes (`service.name`, …); `telemetry.sdk.*` are added unless given. */
  resource?: Readonly<Record<string, unknown>>;
  /** Clock for `observedTimeUnixNano`. @default Date.now */
  now?: () => number;
}

/**
 * The OTLP/HTTP JSON logs encoding (`ExportLogsServiceRequest`): one `resourceLogs` with one
 * `scopeLogs` (scope `mvx-logger`) holding one `logRecord` per event. See docs/upload.md for the
 * field mapping.
 * @param options - resource attributes and clock
 */
export function otlpEncoder(options: OtlpEncoderOptions = {}): BatchEncoder {
  const now = options.now ?? Date.now;
  const resource = toKeyValues({
    'telemetry.sdk.name': OTLP_SCOPE.name,
    'telemetry.sdk.language': 'webjs',
    'telemetry.sdk.version': OTLP_SCOPE.version,
    ...options.resource,
  });
  return {
    open:
      `{"resourceLogs":[{"resource":{"attributes":${safeStringify(resource)}},` +
      `"scopeLogs":[{"scope":${JSON.stringify(OTLP_SCOPE)},"logRecords":[`,
    close: ']}]}]}',
    record: (event) => {
      const observed = now();
      try {
        return safeStringify(otlpRecord(event, observed));
      } catch {
        // Only a hand-made event with hostile values gets here; keep what routes and identifies it.
        const plain = { ...event, payload: '[Unserializable]', context: undefined };
        return safeStringify(otlpRecord(plain, observed));
      }
    },
  };
}

function otlpRecord(event: LogEvent, observedMs: number) {
  return {
    timeUnixNano: msToUnixNano(event.time),
    observedTimeUnixNano: msToUnixNano(observedMs),
    severityNumber: event.severity,
    severityText: String(event.level).toUpperCase(),
    body: { stringValue: String(event.message) },
    attributes: recordAttributes(event),
  };
}

/**
 * Record attributes: the event id and namespace, then the payload's top-level keys (a non-object
 * payload goes under `mvx.payload`), then context keys not already present. Nested objects
 * become `kvlistValue`s; keys stay unique as OTLP requires.
 */
function recordAttributes(event: LogEvent): OtlpKeyValue[] {
  const out: OtlpKeyValue[] = [
    { key: OTLP_ATTRIBUTE.id, value: { stringValue: String(event.id) } },
    { key: OTLP_ATTRIBUTE.namespace, value: { stringValue: String(event.namespace) } },
  ];
  const seen = new Set<string>([OTLP_ATTRIBUTE.id, OTLP_ATTRIBUTE.namespace]);
  const add = (object: Readonly<Record<string, unknown>>) => {
    for (const key of Object.keys(object)) {
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ key, value: toAnyValue(object[key], 1) });
    }
  };
  const p = event.payload;
  if (p !== undefined) {
    if (typeof p === 'object' && p !== null && !Array.isArray(p)) add(p as Record<string, unknown>);
    else add({ [OTLP_ATTRIBUTE.payload]: p });
  }
  if (event.context) add(event.context);
  return out;
}

/**
 * Encodes a batch as an OTLP/HTTP JSON `ExportLogsServiceRequest` body.
 * @param events - the events, oldest first
 * @param options - resource attributes and clock
 */
export function encodeOtlpLogs(events: readonly LogEvent[], options?: OtlpEncoderOptions): string {
  const encoder = otlpEncoder(options);
  return assembleBody(encoder, events.map(encoder.record));
}
