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
 * (int64 is a decimal string in OTLP JSON), other finite numbers as `doubleValue`, arrays as
 * `arrayValue`, objects as `kvlistValue`, null/undefined as an empty value.
 * @param value - the value
 * @param depth - current nesting depth
 */
export function toAnyValue(value: unknown, depth = 0): OtlpAnyValue {
  switch (typeof value) {
    case 'string':
      return { stringValue: value };
    case 'boolean':
      return { boolValue: value };
    case 'number':
      if (Number.isSafeInteger(value)) return { intValue: String(value) };
      // JSON has no NaN/Infinity; keep them readable instead of turning them into null.
      return Number.isFinite(value) ? { doubleValue: value } : { stringValue: String(value) };
    case 'object':
      if (value === null) return {};
      if (depth >= MAX_DEPTH) return { stringValue: '[MaxDepth]' };
      if (Array.isArray(value)) {
        return { arrayValue: { values: value.map((v) => toAnyValue(v, depth + 1)) } };
      }
      return { kvlistValue: { values: toKeyValues(value as Record<string, unknown>, depth + 1) } };
    case 'undefined':
      return {};
    default:
      return { stringValue: String(value) }; // bigint, symbol, function
  }
}

/**
 * Maps an object's own enumerable keys to `KeyValue`s.
 * @param object - the object
 * @param depth - nesting depth of its values
 */
export function toKeyValues(object: Readonly<Record<string, unknown>>, depth = 0): OtlpKeyValue[] {
  return Object.keys(object).map((key) => ({ key, value: toAnyValue(object[key], depth) }));
}
