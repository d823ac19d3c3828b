// fast-check arbitraries of strings for the payload tests: every width, the characters JSON
// escapes, lone and paired surrogates, stack traces.
import fc from 'fast-check';

/**
 * Stack-trace-like text: lines of printable ASCII (with `"` and `\\`, as in Windows paths) joined
 * by newlines, sometimes followed by other units and more lines: what the byte count's fast path
 * scans, and where it hands over.
 */
export const stackLike = fc
  .tuple(
    fc.array(fc.string({ maxLength: 60 }), { minLength: 1, maxLength: 30 }),
    fc.array(fc.constantFrom('\t', '\r', '\u0001', '\u007f', 'é', '日', '😀', '\ud800'), {
      maxLength: 3,
    }),
    fc.array(fc.string({ maxLength: 60 }), { maxLength: 5 }),
  )
  .map(([lines, units, after]) => [lines.join('\n'), ...units, after.join('\n')].join(''));

/** Strings in every width, with the characters JSON escapes and lone and paired surrogates. */
export const hostileString = fc.oneof(
  stackLike,
  fc.string({ unit: 'grapheme-ascii' }),
  fc.string({ unit: 'binary' }),
  fc
    .array(
      fc.constantFrom(
        'a',
        ' ',
        'é',
        '日',
        '😀',
        '"',
        '\\',
        '\n',
        '\u0001',
        '\u007f',
        '\ud800',
        '\udc00',
      ),
      { maxLength: 40 },
    )
    .map((units) => units.join('')),
  // huge strings, in every width
  fc
    .tuple(
      fc.constantFrom('a', 'é', '日', '😀', '"', '\n', '\ud800', '\udfff', 'x\ud83d'),
      fc.integer({ min: 0, max: 30_000 }),
    )
    .map(([unit, n]) => unit.repeat(n)),
);
