import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitPrefix, jsonBytes, numberBytes } from '../../../src/payload/bytes.js';

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
  // stack-like: printable ASCII lines (with `"` and `\\`), then anything, then more lines
  fc
    .tuple(
      fc.array(fc.string({ maxLength: 30 }), { minLength: 1, maxLength: 8 }),
      fc.array(fc.oneof(units, fc.constantFrom('\t', '\r', '\u0000')), { maxLength: 3 }),
      fc.array(fc.string({ maxLength: 30 }), { maxLength: 4 }),
    )
    .map(([lines, rest, after]) => lines.join('\n') + rest.join('') + after.join('\n')),
);

describe('jsonBytes and fitPrefix', () => {
  it('counts examples exactly', () => {
    expect(jsonBytes('\ud800' + 'a'.repeat(20) + '\udc00')).toBe(34); // two lone ones
    expect(jsonBytes('😀'.repeat(10))).toBe(42);
    expect(jsonBytes('line\n'.repeat(10))).toBe(62);
    expect(jsonBytes('%é日\u007f')).toBe(9); // a literal % is one byte, DEL is not escaped
    // a stack trace: printable ASCII and newlines, then other escapes after that prefix
    const stack = 'Error: "x"\n    at f (C:\\app\\a.js:1:2)\n    at g (b.js:3:4)';
    expect(jsonBytes(stack)).toBe(utf8(stack));
    expect(jsonBytes(`${stack}\t"\\\n\u0001`)).toBe(utf8(stack) + 14);
    expect(jsonBytes(`${stack}é\n"`)).toBe(utf8(stack) + 6);
    expect(jsonBytes(`\t${stack}`)).toBe(utf8(stack) + 2);
  });

  it('equals the UTF-8 length of JSON.stringify', () => {
    fc.assert(
      fc.property(tricky, (s) => {
        expect(jsonBytes(s)).toBe(utf8(s));
      }),
    );
  });

  it('keeps the longest prefix that fits the room, never splitting a pair', () => {
    fc.assert(
      fc.property(tricky, fc.integer({ min: 2, max: 200 }), (s, room) => {
        const keep = fitPrefix(s, room);
        const prefix = s.slice(0, keep);
        expect(utf8(prefix)).toBeLessThanOrEqual(room);
        if (utf8(s) <= room && !/[\ud800-\udbff]$/.test(s)) expect(keep).toBe(s.length);
        // maximal: the next cut point (one more unit, or two past a high surrogate) would not fit
        const more = keep + ((s.charCodeAt(keep) & 0xfc00) === 0xd800 ? 2 : 1);
        if (more <= s.length) expect(utf8(s.slice(0, more))).toBeGreaterThan(room);
        // never splits a pair
        const last = s.charCodeAt(keep - 1);
        const next = s.charCodeAt(keep);
        expect((last & 0xfc00) === 0xd800 && (next & 0xfc00) === 0xdc00).toBe(false);
      }),
    );
  });
});

describe('numberBytes', () => {
  it('is the length of JSON.stringify for every finite number, without building it for integers', () => {
    const edges = [0, -0, 1, -1, 9, 10, 99, 100, 2 ** 53, -(2 ** 53), 2 ** 60, 1e20, 1e21 - 65536];
    for (const n of [
      ...edges,
      1e21,
      -1e21,
      123456789012345680000,
      0.1,
      5e-324,
      1.7976931348623157e308,
    ])
      expect(numberBytes(n)).toBe(JSON.stringify(n).length);
    for (let exponent = 0; exponent <= 22; exponent++)
      for (const n of [10 ** exponent, 10 ** exponent - 1, -(10 ** exponent)])
        expect(numberBytes(n)).toBe(JSON.stringify(n).length);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double({ noNaN: true, noDefaultInfinity: true }),
          fc.integer(),
          fc.maxSafeInteger(),
        ),
        (n) => {
          expect(numberBytes(n)).toBe(JSON.stringify(n).length);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
