// A character that is not one byte in JSON: a control character, `"`, `\`, DEL or non-ASCII.
const SPECIAL = /[^ !#-[\]-~]/;

/**
 * Bytes that `JSON.stringify(s)` takes in UTF-8, quotes included, when that is at most `room`.
 * Otherwise `~keep` (a negative number), where `keep` is how many leading UTF-16 code units fit,
 * quoted, in `room - reserve` bytes; a cut at `keep` never splits a surrogate pair. Linear in the
 * length of `s`, which callers bound first.
 */
export function jsonSize(s: string, room: number, reserve: number): number {
  let n = 2;
  let keep = -1;
  let i = 0;
  // A regex scans plain ASCII several times faster than a charCodeAt loop: skip the 1-byte prefix.
  const special = s.length > 16 ? s.search(SPECIAL) : 0;
  const plain = special < 0 ? s.length : special;
  if (plain + 2 <= room - reserve) n += i = plain;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let b = 1;
    if (c < 32 || c === 34 || c === 92) {
      // JSON writes \b \t \n \f \r \" \\ in two bytes and any other control character as \u00XX
      b = c > 7 && c < 14 && c !== 11 ? 2 : c < 32 ? 6 : 2;
    } else if (c > 127) {
      if (c < 2048) b = 2;
      else if ((c & 0xfc00) !== 0xd800 || (s.charCodeAt(i + 1) & 0xfc00) !== 0xdc00) {
        // JSON.stringify escapes a lone surrogate as \uXXXX (well-formed JSON.stringify, ES2019)
        b = (c & 0xf800) === 0xd800 ? 6 : 3;
      } else b = 4;
    }
    if (keep < 0 && n + b > room - reserve) keep = i;
    n += b;
    if (b === 4) i++;
    if (n > room) return ~keep;
  }
  return n > room ? -1 : n; // only an empty string gets here over budget: `room` was below 2
}
