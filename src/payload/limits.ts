import { checkedOptions, configFail } from '../core/check.js';
import { isRegExp, squash, stateless } from './helpers.js';
import type { LogPayloadProcessorOptions } from './options.js';

/** The processor's options, validated and with their defaults applied. */
export interface ProcessorLimits {
  _maxDepth: number;
  _maxKeys: number;
  _maxItems: number;
  _maxStringLength: number;
  _maxBytes: number;
  _redactDefaultKeys: boolean;
  /** A string as its squashed form; a RegExp (stateless) tested against the key as written. */
  _redactKeys: (string | RegExp)[];
  /** Global (replace() resets lastIndex itself), so every occurrence goes. */
  _redactValues: RegExp[];
}

const OWNER = 'LogPayloadProcessor';
const KNOWN_KEYS: readonly (keyof LogPayloadProcessorOptions)[] = [
  'maxDepth',
  'maxKeys',
  'maxItems',
  'maxStringLength',
  'maxBytes',
  'redactKeys',
  'redactValues',
  'redactDefaultKeys',
];

/**
 * The limits of a processor made without options: every option at its default. (A `LogContext`
 * without a `payloadProcessor` uses them directly, so an app that never imports
 * `LogPayloadProcessor` does not bundle the option checks below.) The same defaults are the
 * fallbacks of {@link resolveProcessorOptions}, written there again because a literal is smaller
 * than reading this object; test/unit/payload/context.test.ts checks that the two agree.
 */
export const defaultProcessorLimits = (): ProcessorLimits => ({
  _maxDepth: 10,
  _maxKeys: 100,
  _maxItems: 100,
  _maxStringLength: 4096,
  _maxBytes: 16384,
  _redactDefaultKeys: true,
  _redactKeys: [],
  _redactValues: [],
});

/**
 * Validates processor options; messages as the README documents them.
 * @throws LogConfigError naming the option and what it must be
 */
export function resolveProcessorOptions(options?: LogPayloadProcessorOptions): ProcessorLimits {
  const given = checkedOptions(OWNER, options, KNOWN_KEYS);
  /** `given[key]` (or `fallback`) when `ok`. */
  const option = <T>(
    key: keyof LogPayloadProcessorOptions,
    fallback: T,
    ok: (value: any) => boolean,
    must: string,
  ): T => {
    const value = given[key] ?? fallback;
    // (an object is shown by its type: rendering it could throw)
    if (!ok(value))
      configFail(
        OWNER,
        `${key} must be ${must}, got ${value === Object(value) ? typeof value : String(value)}`,
      );
    return value as T;
  };
  const integer = (key: keyof LogPayloadProcessorOptions, fallback: number, min = 1): number =>
    option(key, fallback, (v) => Number.isInteger(v) && v >= min, `an integer >= ${min}`);
  return {
    _maxDepth: integer('maxDepth', 10),
    _maxKeys: integer('maxKeys', 100),
    _maxItems: integer('maxItems', 100),
    _maxStringLength: integer('maxStringLength', 4096),
    // 64: the smallest budget in which a cut marker fits
    _maxBytes: integer('maxBytes', 16384, 64),
    _redactDefaultKeys: option(
      'redactDefaultKeys',
      true,
      (v) => typeof v == 'boolean',
      'a boolean',
    ),
    _redactKeys: option<(string | RegExp)[]>(
      'redactKeys',
      [],
      (v) => Array.isArray(v) && v.every((k) => typeof k == 'string' || isRegExp(k)),
      'an array of strings and RegExps',
    ).map((k) => (typeof k == 'string' ? squash(k) : stateless(k))),
    // A pattern that matches '' would put "[REDACTED]" between every two characters. (search()
    // restores lastIndex: the caller's RegExp is left as it was.)
    _redactValues: option<RegExp[]>(
      'redactValues',
      [],
      (v) => Array.isArray(v) && v.every((p) => isRegExp(p) && ''.search(p) < 0),
      'an array of RegExps that cannot match an empty string',
    ).map((p) => stateless(p, 'g')),
  };
}
