// `JSON.stringify` writes a surrogate pair as the two raw units and a lone surrogate as a `\udXXX`
// escape (well-formed JSON.stringify, ES2019), and a literal backslash as `\\`. So a run of
// backslashes of odd length followed by `ud8XX`-`udfXX` is exactly a lone surrogate's escape.
const SURROGATE_ESCAPE = /(\\+)ud[89a-f][0-9a-f]{2}/g;

/**
 * `json` (the output of `JSON.stringify`) with every lone surrogate replaced by U+FFFD, so that the
 * decoded text is well-formed Unicode: a strict proto3 JSON decoder rejects the whole request for
 * one lone surrogate (easily produced by cutting user text). Surrogate pairs are kept.
 * @param json - text produced by `JSON.stringify`
 */
export function wellFormedJson(json: string): string {
  // Fast path: almost no text has one.
  if (!json.includes('\\ud')) return json;
  return json.replace(SURROGATE_ESCAPE, (escape: string, backslashes: string) =>
    backslashes.length % 2 ? `${backslashes.slice(1)}\\ufffd` : escape,
  );
}
