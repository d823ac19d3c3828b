// Runs of characters that JSON writes as one byte each: printable ASCII except `"` and `\`.
// Global, for replace(), which resets lastIndex itself: the RegExp carries no state between calls.
const PLAIN = /[ !#-[\]-~]+/g;
const SPECIAL = /[^ !#-[\]-~]/;

/** UTF-8 bytes JSON writes for the code unit at `i` of `s`; 4 for a surrogate pair (at its first unit). */
function unitBytes(s: string, i: number): number {
  const c = s.charCodeAt(i);
  // \b \t \n \f \r \" \\ take two bytes, any other control character \u00XX six
  if (c < 32) return c > 7 && c < 14 && c !== 11 ? 2 : 6;
  if (c < 128) return c === 34 || c === 92 ? 2 : 1;
  if (c < 2048) return 2;
  if ((c & 0xf800) !== 0xd800) return 3;
  // a pair is 4 bytes; JSON.stringify escapes a lone surrogate as \uXXXX (ES2019)
  return c < 0xdc00 && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 4 : 6;
}

/**
 * Bytes that `JSON.stringify(s)` takes in UTF-8, quotes included, when that is at most `room`.
 * Otherwise `~keep` (a negative number), where `keep` is how many leading UTF-16 code units fit,
 * quoted, in `room - reserve` bytes; a cut at `keep` never splits a surrogate pair. Linear in the
 * length of `s`, which callers bound first.
 */
export function jsonSize(s: string, room: number, reserve: number): number {
  let n = s.length + 2;
  if (s.length > 16) {
    // A regex skips plain runs several times faster than a charCodeAt loop; each run becomes one
    // space, so only the other characters are looked at, and two surrogates that were apart
    // in `s` stay apart.
    const rest = s.replace(PLAIN, ' ');
    for (let i = 0; i < rest.length; i++) {
      if (rest.charCodeAt(i) === 32) continue;
      const b = unitBytes(rest, i);
      if (b === 4) {
        n += 2; // two code units, four bytes
        i++;
      } else n += b - 1;
    }
    if (n <= room) return n;
  }
  n = 2;
  let keep = -1;
  let i = 0;
  // over budget (or short): walk from the start to find the cut, skipping the plain prefix
  const special = s.length > 16 ? s.search(SPECIAL) : 0;
  const plain = special < 0 ? s.length : special;
  if (plain + 2 <= room - reserve) n += i = plain;
  for (; i < s.length; i++) {
    const b = unitBytes(s, i);
    if (keep < 0 && n + b > room - reserve) keep = i;
    n += b;
    if (b === 4) i++;
    if (n > room) return ~keep;
  }
  return n > room ? -1 : n; // only an empty string gets here over budget: `room` was below 2
}
