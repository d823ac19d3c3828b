// The exact UTF-8 size of values as JSON writes them, well-formed strings, and the longest prefix
// of a string that fits a budget.

// Characters JSON writes as themselves in one byte: printable ASCII but `"` and `\`.
const PLAIN = /^[ !#-[\]-~]*$/;
// A surrogate pair, or a lone surrogate (no lookbehind: it is a syntax error in older engines)
const SURROGATES = /[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff]/g;

/** Whether JSON writes every character of `s` as itself in one byte (the common case). */
export const isPlain = (s: string): boolean => PLAIN.test(s);

/**
 * `s` with every lone surrogate replaced by U+FFFD (a pair stays): what a strict receiver accepts.
 * Same length as `s`.
 */
export const wellFormed = (s: string): string =>
  (s as { toWellFormed?: () => string }).toWellFormed
    ? (s as unknown as { toWellFormed(): string }).toWellFormed()
    : s.replace(SURROGATES, (match) => (match.length > 1 ? match : '\ufffd'));

/**
 * Bytes of `JSON.stringify(n)` for a finite number, without building the string for an integer
 * (JSON writes an integral double below 10^21 with all its digits, then switches to an exponent).
 */
export function numberBytes(n: number): number {
  const magnitude = n < 0 ? -n : n;
  // (not `% 1`: a float remainder is a C call)
  if (Math.floor(magnitude) !== magnitude || magnitude >= 1e21) return `${n}`.length;
  let digits = 1;
  // powers of ten up to 10^21 are exact doubles, and so is each product
  for (let bound = 10; magnitude >= bound; bound *= 10) digits++;
  return n < 0 ? digits + 1 : digits; // -0 is written as 0, and is not below 0
}

/** UTF-8 bytes of `JSON.stringify(s)`: quotes and escapes included. Linear in `s.length`. */
export function jsonBytes(s: string): number {
  // the common case first: one regex scan
  return PLAIN.test(s) ? s.length + 2 : escapedBytes(s);
}

// Printable ASCII and newlines: a stack trace, or a message of several lines. Sticky, for test():
// lastIndex ends where the longest such prefix does (no match array is made). Runs of the 2-range
// class [ -~] between newlines scan faster in irregexp than one class that holds `\n` too.
const LINES = /[ -~]*(?:\n[ -~]*)*/y;

/** How many times `unit` occurs in `s` before index `end`. */
function occurrences(s: string, unit: string, end: number): number {
  let n = 0;
  for (let i = s.indexOf(unit); i >= 0 && i < end; i = s.indexOf(unit, i + 1)) n++;
  return n;
}

/** {@link jsonBytes} of a string that is not {@link isPlain}. */
export function escapedBytes(s: string): number {
  // The common case, ASCII text with a few escapes (a stack trace: its newlines): one native scan
  // of the longest prefix of printable ASCII and newlines, whose escapes (each one more byte) are
  // counted by indexOf; no match is visited. From the first other control character, DEL or
  // non-ASCII unit on, a charCodeAt loop (faster than a regex exec() per escape there).
  LINES.lastIndex = 0;
  LINES.test(s);
  const end = LINES.lastIndex;
  const escapes = occurrences(s, '\n', end) + occurrences(s, '"', end) + occurrences(s, '\\', end);
  const bytes = s.length + 2 + escapes;
  return end === s.length ? bytes : bytes + extraBytesFrom(s, end);
}

/** Bytes that JSON adds to `s` from index `start` on, beyond one per code unit. */
function extraBytesFrom(s: string, start: number): number {
  let extra = 0;
  for (let i = start; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 32 && c < 127) {
      if (c === 34 || c === 92) extra++; // `"` and `\` are escaped
    } else if (c < 32) {
      extra += c > 7 && c < 14 && c !== 11 ? 1 : 5;
    } else if (c >= 128) {
      if (c < 2048) extra += 1;
      else if ((c & 0xfc00) === 0xd800 && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
        extra += 2; // a pair: four bytes for two units
        i++;
      } else extra += (c & 0xf800) === 0xd800 ? 5 : 2; // a lone surrogate is escaped as \uXXXX
    } // DEL (127) is written as itself
  }
  return extra;
}

/** `n`, or `n - 1` when the unit before `n` is a high surrogate: a cut there splits no pair. */
export const cutPoint = (s: string, n: number): number =>
  n - +((s.charCodeAt(n - 1) & 0xfc00) === 0xd800);

/**
 * Length of the longest prefix of `s` whose JSON takes at most `room` (>= 2) UTF-8 bytes and
 * which does not end with a high surrogate (so a pair is never split). A binary search over cut
 * points, which are measured in increasing order of size: O(n log n), for a string cut to its
 * length limit already.
 */
export function fitPrefix(s: string, room: number): number {
  let lo = 0;
  let hi = Math.min(s.length, room);
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (jsonBytes(s.slice(0, cutPoint(s, mid))) > room) hi = mid - 1;
    else lo = mid;
  }
  return cutPoint(s, lo);
}
