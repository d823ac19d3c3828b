/** The value that replaces a redacted property or a matched part of a string. */
export const REDACTED = '[REDACTED]';

// Matched against the key lower-cased with `-`, `_`, `.` and spaces removed, so `api_key`, `apiKey`
// and `X-Api-Key` are one word. A suffix match catches `accessToken`, `clientSecret`, `set-cookie`
// and `user.password`; `pan` must match whole, or `span` and `company` would be redacted.
const DEFAULT_SECRET_KEY =
  /(passw(or)?d|secret|token|apikey|authorization|cookie|session|cardnumber|ccnumber|creditcard)$|^pan$/;

const squash = (key: string): string => key.toLowerCase().replace(/[-_. ]/g, '');

/** A copy of `pattern` without `g`/`y`, whose `lastIndex` state would make `test()` alternate. */
const stateless = (pattern: RegExp, flags = ''): RegExp =>
  new RegExp(pattern, pattern.flags.replace(/[gy]/g, '') + flags);

/**
 * Decides whether a property key names a secret.
 * @param keys - extra keys: a string matches case-insensitively, ignoring `-`, `_`, `.` and spaces;
 *   a RegExp is tested against the key as written
 * @param defaults - whether the built-in list (password, token, cookie, card numbers, …) applies
 */
export function createKeyRedactor(
  keys: readonly (string | RegExp)[],
  defaults: boolean,
): (key: string) => boolean {
  const names = new Set<string>();
  const patterns: RegExp[] = [];
  for (const k of keys) {
    if (typeof k === 'string') names.add(squash(k));
    else patterns.push(stateless(k));
  }
  return (key) => {
    const word = squash(key);
    return (
      (defaults && DEFAULT_SECRET_KEY.test(word)) ||
      names.has(word) ||
      patterns.some((p) => p.test(key))
    );
  };
}

/**
 * Replaces every match of any of `patterns` in a string with {@link REDACTED};
 * `undefined` when there are no patterns, so the hot path can skip the call.
 */
export function createValueRedactor(
  patterns: readonly RegExp[],
): ((text: string) => string) | undefined {
  // `g` so that every occurrence goes; replace() resets lastIndex, so the flag carries no state.
  const global = patterns.map((p) => stateless(p, 'g'));
  return global.length
    ? (text) => global.reduce((s, p) => s.replace(p, REDACTED), text)
    : undefined;
}
