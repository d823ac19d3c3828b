import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonSize } from '../../../src/payload/bytes.js';

const utf8 = (s: string) => new TextEncoder().encode(JSON.stringify(s)).length;
// Strings that exercise every branch: ASCII, escapes, 2/3/4-byte UTF-8, lone surrogates.
const units = fc.constantFrom(
  'a',
  '"',
  '\\',
  '\n',
  '\u0001',
  '\u007f',
  'é',
  '日',
  '😀',
  '\ud800',
  '\udc00',
  '\u2028',
);
const tricky = fc.oneof(
  // lone surrogates apart, pairs, plain runs: longer than 16 so the fast path runs
  fc
    .array(fc.constantFrom('abc', '\ud800', '\udc00', '"'), { minLength: 9, maxLength: 30 })
    .map((a) => a.join('')),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.array(units, { maxLength: 60 }).map((a) => a.join('')),
  fc
    .tuple(fc.string({ minLength: 17, maxLength: 40 }), fc.array(units, { maxLength: 5 }))
    .map(([ascii, rest]) => ascii + rest.join('')),
);

describe('jsonSize', () => {
  it('counts examples exactly', () => {
    expect(jsonSize('\ud800' + 'a'.repeat(20) + '\udc00', Infinity, 0)).toBe(34); // two lone ones
    expect(jsonSize('😀'.repeat(10), Infinity, 0)).toBe(42);
    expect(jsonSize('line\n'.repeat(10), Infinity, 0)).toBe(62);
  });

  it('equals the UTF-8 length of JSON.stringify when it fits', () => {
    fc.assert(
      fc.property(tricky, (s) => {
        expect(jsonSize(s, Infinity, 0)).toBe(utf8(s));
      }),
    );
  });

  it('when over budget, returns a prefix that fits the budget minus the reserve', () => {
    fc.assert(
      fc.property(tricky, fc.nat(200), fc.nat(40), (s, room, reserve) => {
        const size = jsonSize(s, room, reserve);
        if (size >= 0) {
          expect(size).toBe(utf8(s));
          expect(size).toBeLessThanOrEqual(room);
          return;
        }
        expect(utf8(s)).toBeGreaterThan(room);
        const keep = ~size;
        const prefix = s.slice(0, keep);
        if (keep > 0) expect(utf8(prefix)).toBeLessThanOrEqual(room - reserve);
        // maximal: one more unit (or pair) would not fit
        if (keep < s.length) expect(utf8(s.slice(0, keep + 2))).toBeGreaterThan(room - reserve);
        // never splits a pair
        const last = s.charCodeAt(keep - 1);
        const next = s.charCodeAt(keep);
        expect((last & 0xfc00) === 0xd800 && (next & 0xfc00) === 0xdc00).toBe(false);
      }),
    );
  });
});
