import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LogPayloadProcessor } from '../../../src/index.js';
import { payload, processorOptions } from './arbitraries.js';

const utf8 = (text: string) => new TextEncoder().encode(text).length;

/** Whether every string and key in `value` is well-formed Unicode (no lone surrogate). */
const wellFormed = (value: unknown): boolean =>
  typeof value === 'string'
    ? (value as unknown as { isWellFormed(): boolean }).isWellFormed()
    : typeof value !== 'object' ||
      value === null ||
      Object.entries(value).every(([key, item]) => wellFormed(key) && wellFormed(item));

describe('LogPayloadProcessor: properties', () => {
  it('never throws; output is well-formed JSON that round-trips and fits maxBytes in UTF-8', () => {
    fc.assert(
      fc.property(processorOptions, payload, (opts, make) => {
        const value = make();
        const processor = new LogPayloadProcessor(opts);
        const out = processor.process(value);
        const json = JSON.stringify(out);
        expect(typeof json).toBe('string');
        expect(JSON.parse(json)).toEqual(out);
        expect(utf8(json)).toBeLessThanOrEqual(opts.maxBytes ?? 16384);
        expect(wellFormed(out)).toBe(true);
        // deterministic: the same input gives the same output
        expect(processor.process(value)).toEqual(out);
      }),
      { numRuns: 400 },
    );
  }, 60_000); // some values hold 30 000-unit strings: slow on a loaded machine
});
