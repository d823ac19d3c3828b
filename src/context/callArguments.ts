import { isRecord } from '../core/check.js';
import { isErrorLike } from '../core/describeThrown.js';

// Forgiving calls (`log.info({ a: 1 })`, `log.error(err)`): when the first argument of a level
// method is not a string, it is the payload. Only calls of that shape reach this file; the usual
// `(message, payload)` call never does.

/**
 * The message of a call whose first argument is not a string: an error's `message`, `''` for
 * another object, and the text of a primitive (`42` → `'42'`). Never throws.
 */
export function messageOfValue(value: unknown): string {
  try {
    if (isErrorLike(value)) return String(value.message);
    return Object(value) === value ? '' : String(value);
  } catch {
    return '[unprintable message]';
  }
}

/** Whether a non-string first argument is the payload (an object, an Error, an array). */
export function isPayloadValue(value: unknown): value is object {
  return Object(value) === value;
}

/**
 * The payload of `log.info(value, further)` where `value` is an object: both are normalized in
 * one processor call (one byte budget), then `further`'s fields are merged over `value`'s (an
 * Error's name, message, stack, ...). When either is not an object after normalization (an array,
 * a primitive, a cut marker), the payload is the pair `[value, further]`.
 */
export function mergeNormalizedPair(pair: unknown): unknown {
  if (!Array.isArray(pair) || pair.length != 2) return pair;
  const [first, second] = pair as unknown[];
  return isRecord(first) && isRecord(second) ? Object.freeze({ ...first, ...second }) : pair;
}
