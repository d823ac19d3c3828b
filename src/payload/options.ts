import { LogConfigError } from '../core/errors.js';
import { tagOf } from './describe.js';
import { createKeyRedactor, createValueRedactor } from './redact.js';

/** Options of a {@link LogPayloadProcessor}: the bounds of one normalized value, and redaction. */
export interface LogPayloadProcessorOptions {
  /**
   * Levels of nested objects/arrays kept; a deeper container becomes `"[Object]"`, `"[Array]"`,
   * `"[Map]"`, …, and a deeper error `"TypeError: message"`. Each `cause` is one level deeper.
   * @default 10
   */
  maxDepth?: number;
  /**
   * Properties kept per object (and entries per Map); the rest are counted in a
   * `"…": "[+N more keys]"` property.
   * @default 100
   */
  maxKeys?: number;
  /**
   * Items kept per array (and Set); the rest are counted in a last `"[+N more items]"` item.
   * @default 100
   */
  maxItems?: number;
  /**
   * Length of a string kept, in UTF-16 code units (JavaScript `length`); a longer one ends with
   * `"…[truncated N chars]"`.
   * @default 4096
   */
  maxStringLength?: number;
  /**
   * Budget of the whole normalized value in UTF-8 bytes of its `JSON.stringify` form, exact and
   * never exceeded. What does not fit is cut with the markers above. At least 64.
   * @default 16384
   */
  maxBytes?: number;
  /**
   * More keys whose values are replaced by `"[REDACTED]"`, at any depth. A string matches
   * case-insensitively, ignoring `-`, `_`, `.` and spaces (`'sessionId'` also matches `session_id`);
   * a RegExp is tested against the key as written.
   * @default []
   */
  redactKeys?: readonly (string | RegExp)[];
  /**
   * Patterns replaced by `"[REDACTED]"` inside every string value (e.g. bearer tokens, JWTs).
   * @default []
   */
  redactValues?: readonly RegExp[];
  /**
   * Whether the built-in secret keys are redacted: keys ending in password, passwd, secret, token,
   * apikey, authorization, cookie, session, cardnumber, ccnumber, creditcard, and `pan`.
   * @default true
   */
  redactDefaultKeys?: boolean;
}

/** Validated options, as the normalizer uses them. */
export interface ResolvedPayloadOptions {
  readonly maxDepth: number;
  readonly maxKeys: number;
  readonly maxItems: number;
  readonly maxStringLength: number;
  readonly maxBytes: number;
  readonly isSecretKey: (key: string) => boolean;
  readonly redactText: ((text: string) => string) | undefined;
}

type Bound = 'maxDepth' | 'maxKeys' | 'maxItems' | 'maxStringLength' | 'maxBytes';

// [default, minimum]; 64 bytes is the smallest budget in which a cut marker always fits.
const BOUNDS: Record<Bound, [number, number]> = {
  maxDepth: [10, 1],
  maxKeys: [100, 1],
  maxItems: [100, 1],
  maxStringLength: [4096, 1],
  maxBytes: [16384, 64],
};

const fail = (name: string, must: string): never => {
  throw new LogConfigError(`LogPayloadProcessor: ${name} must be ${must}`);
};

// by tag, not instanceof, so a RegExp made in another realm (an iframe) is accepted too
const isRegExp = (value: unknown): value is RegExp => tagOf(value) === 'RegExp';

/**
 * Validates processor options and fills in defaults.
 * @throws LogConfigError naming the option and what it must be
 */
export function resolvePayloadOptions(
  options: LogPayloadProcessorOptions = {},
): ResolvedPayloadOptions {
  if (typeof options !== 'object' || options === null) fail('options', 'an object');
  const bounds = {} as Record<Bound, number>;
  for (const name in BOUNDS) {
    const [fallback, min] = BOUNDS[name as Bound];
    const value = options[name as Bound] ?? fallback;
    if (!Number.isInteger(value) || value < min) fail(name, `an integer >= ${min}, got ${value}`);
    bounds[name as Bound] = value;
  }
  const { redactKeys = [], redactValues = [], redactDefaultKeys = true } = options;
  if (
    !Array.isArray(redactKeys) ||
    !redactKeys.every((k) => typeof k === 'string' || isRegExp(k))
  ) {
    fail('redactKeys', 'an array of strings and RegExps');
  }
  // A pattern that matches '' would put "[REDACTED]" between every two characters.
  // (search() restores lastIndex: the caller's RegExp is left as it was.)
  if (!Array.isArray(redactValues) || !redactValues.every((p) => isRegExp(p) && ''.search(p) < 0)) {
    fail('redactValues', 'an array of RegExps that cannot match an empty string');
  }
  if (typeof redactDefaultKeys !== 'boolean') fail('redactDefaultKeys', 'a boolean');
  return {
    ...bounds,
    isSecretKey: createKeyRedactor(redactKeys, redactDefaultKeys),
    redactText: createValueRedactor(redactValues),
  };
}
