// FROZEN REFERENCE (see normalize.ts here): do not edit.

// Small pure helpers of the normalizer: secret keys, RegExp copies, type tags, descriptions.

export const ERROR_KEYS = ['name', 'message', 'stack', 'cause', 'errors'];
// Matched against the key lower-cased with `-`, `_`, `.` and spaces removed, so `api_key`, `apiKey`
// and `X-Api-Key` are one word. A suffix match catches `accessToken`, `clientSecret`, `set-cookie`
// and `user.password`; `pan` must match whole, or `span` and `company` would be redacted.
export const SECRET_KEY =
  /(passw(or)?d|secret|token|apikey|authorization|cookie|session|cardnumber|ccnumber|creditcard)$|^pan$/;

// Types are recognized by duck typing or by their Object.prototype.toString tag, never by
// `instanceof`, so values from another realm (an iframe) are recognized too.
export const tagOf = (value: unknown): string => Object.prototype.toString.call(value).slice(8, -1);
export const isRegExp = (value: unknown): value is RegExp => tagOf(value) === 'RegExp';
export const squash = (key: string): string => key.toLowerCase().replace(/[-_. ]/g, '');
/** A copy of `pattern` without `g`/`y` (whose `lastIndex` state would make `test()` alternate). */
export const stateless = (pattern: RegExp, flags = ''): RegExp =>
  new RegExp(pattern, pattern.flags.replace(/[gy]/g, '') + flags);

/** The first `max` items of an iterable: a huge Map or Set is never copied whole. */
export const take = (items: Iterable<unknown>, max: number, out: unknown[] = []): unknown[] => {
  for (const item of items) {
    if (out.length >= max) break;
    out.push(item);
  }
  return out;
};

/** A DOM node as a CSS-like selector: `<div#main.card.open>`, `<#text>`, `<#document>`. */
export const describeNode = (node: any): string => {
  // SVG elements have an SVGAnimatedString className; only a string is a class list
  const cls: string = typeof node.className === 'string' ? node.className.trim() : '';
  return `<${`${node.nodeName}`.toLowerCase()}${node.id ? `#${node.id}` : ''}${cls && `.${cls.replace(/\s+/g, '.')}`}>`;
};
