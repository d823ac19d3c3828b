import { wellFormedJson } from './wellFormed.js';

// Normalized payloads are already depth-bounded; this only guards hand-made events.
const MAX_DEPTH = 32;

/** A string as JSON text, well-formed (lone surrogates → U+FFFD). */
export const jsonString = (text: string): string => wellFormedJson(JSON.stringify(text));

/**
 * A finite non-safe-integer number as JSON text. Integral doubles beyond 2^53 are written with an
 * exponent (`1.152921504606847e+18`): some OTLP receivers (Fluent Bit) reject or drop a
 * `doubleValue` written as a bare integer that large. `toExponential()` without digits gives the
 * shortest form that reads back as the same double.
 */
export const doubleJson = (value: number): string =>
  Number.isInteger(value) && Math.abs(value) < 1e21 ? value.toExponential() : String(value);

/**
 * A JSON-safe value as the JSON text of an OTLP `AnyValue`: strings, booleans, safe integers as
 * `intValue` (int64 is a decimal string in OTLP JSON), other finite numbers as `doubleValue` (NaN
 * and Infinity as readable strings), arrays as `arrayValue`, objects as `kvlistValue`,
 * null/undefined as an empty value, anything else (bigint as its decimal string, symbol,
 * function) as a string.
 * @param value - the value
 * @param depth - nesting so far
 */
export function anyValueJson(value: any, depth: number): string {
  const type = typeof value;
  if (type === 'string') return `{"stringValue":${jsonString(value)}}`;
  if (type === 'boolean') return `{"boolValue":${value}}`;
  if (type === 'number' && isFinite(value))
    return Number.isSafeInteger(value)
      ? `{"intValue":"${value}"}`
      : `{"doubleValue":${doubleJson(value)}}`;
  if (value == null) return '{}';
  if (type !== 'object') return anyValueJson(String(value), depth);
  if (depth >= MAX_DEPTH) return anyValueJson('[MaxDepth]', depth);
  if (Array.isArray(value)) {
    const items = value.map((item) => anyValueJson(item, depth + 1));
    return `{"arrayValue":{"values":[${items.join(',')}]}}`;
  }
  return `{"kvlistValue":{"values":[${keyValuesJson(value, depth + 1).join(',')}]}}`;
}

/**
 * An object's own enumerable keys as the JSON texts of OTLP `KeyValue`s, appended to `out`,
 * skipping keys already in `seen` (OTLP requires unique keys).
 * @param object - the source
 * @param depth - nesting of its values
 * @param seen - keys already written (updated)
 * @param out - where to append
 */
export function keyValuesJson(
  object: any,
  depth: number,
  seen?: Set<string>,
  out: string[] = [],
): string[] {
  for (const key of Object.keys(object))
    if (!seen?.has(key)) {
      seen?.add(key);
      out.push(`{"key":${jsonString(key)},"value":${anyValueJson(object[key], depth)}}`);
    }
  return out;
}
