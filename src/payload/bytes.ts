// The exact UTF-8 size of a string as JSON writes it, and the longest prefix that fits a budget.

// Characters JSON writes as themselves in one byte: printable ASCII but `"` and `\`.
const PLAIN = /^[ !#-[\]-~]*$/;
const RUNS = /[ !#-[\]-~]+/g; // global, for replace(), which resets lastIndex itself
const WIDE = /[^ -~]/;

/** UTF-8 bytes of `JSON.stringify(s)`: quotes and escapes included. Linear in `s.length`. */
export function jsonBytes(s: string): number {
  // the common case first: one regex scan
  if (PLAIN.test(s)) return s.length + 2;
  // Each run of plain characters becomes one space (and so stays one byte per character), and
  // what is left, short for a stack trace, is stringified. JSON.stringify escapes control
  // characters and lone surrogates, so `json` is ASCII up to its first wider unit (-1 >>> 0:
  // none), and its surrogates come in pairs (two units, four bytes).
  const rest = s.replace(RUNS, ' ');
  const json = JSON.stringify(rest);
  let n = s.length - rest.length + json.length;
  for (let i = json.search(WIDE) >>> 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c > 127) n += c < 2048 || (c & 0xf800) === 0xd800 ? 1 : 2;
  }
  return n;
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
