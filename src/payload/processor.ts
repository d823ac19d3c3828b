import { createNormalizer, type Normalize } from './normalize.js';
import type { LogPayloadProcessorOptions } from './options.js';

/**
 * Turns any application value into bounded, JSON-safe, frozen data, once per accepted event; its
 * result is what every sink receives. Never throws and never mutates its input.
 *
 * Errors keep name, message, stack, cause chain, `errors` and own properties; cycles become
 * `"[Circular ~.path]"`; Dates, BigInts, Symbols, functions, Maps, Sets, typed arrays, DOM nodes
 * and Events become JSON equivalents or short descriptions; secrets are redacted; depth, keys,
 * items, string length and total UTF-8 bytes are bounded, and every cut says so.
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

  /** Returns the normalized, frozen copy of `value` (`undefined` becomes `null`). */
  process(value: unknown): unknown {
    return this.#normalize(value);
  }
}
