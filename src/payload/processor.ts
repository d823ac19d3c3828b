import { createNormalizer, type Normalize } from './normalize.js';
import type { LogPayloadProcessorOptions } from './options.js';

/**
 * Turns any application value into bounded, JSON-safe data, once per accepted event; its result, a
 * fresh copy the SDK owns, is what every sink receives (sinks must not mutate it: it is shared, and
 * readonly by contract though not frozen at run time). Never throws and never mutates its input.
 *
 * Errors keep name, message, stack, cause chain, `errors` and own properties; cycles become
 * `"[Circular ~.path]"`; Dates, BigInts, Symbols, functions, Maps, Sets, typed arrays, DOM nodes
 * and Events become JSON equivalents or short descriptions; secrets are redacted; depth, keys,
 * items, string length and total UTF-8 bytes are bounded, and every cut says so; lone surrogates
 * in strings and keys become U+FFFD, so the output is well-formed Unicode.
 *
 * @example
 * const processor = new LogPayloadProcessor({ maxBytes: 8192, redactKeys: ['ssn'] });
 * const log = new LogContext({ sinks: new ConsoleSink(), payloadProcessor: processor });
 * @group Processor
 */
export class LogPayloadProcessor {
  readonly #normalize: Normalize;

  /**
   * @param options - bounds and redaction; every field is optional
   * @throws LogConfigError when an option is invalid
   */
  constructor(options?: LogPayloadProcessorOptions) {
    this.#normalize = createNormalizer(options);
  }

  /** Returns the normalized copy of `value` (`undefined` becomes `null`). */
  process(value: unknown): unknown {
    return this.#normalize(value);
  }
}
