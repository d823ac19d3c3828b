// FROZEN REFERENCE: src/payload/normalize.ts as it was on main before the speed work of issue 14
// (commit f57471a). Do not edit, except for changes of behaviour decided in an issue, each marked
// `// DECIDED:` with its issue. test/unit/payload/differential.test.ts compares the live
// normalizer with it.

import { configFail, optionsObject } from './check.js';
import { cutPoint, fitPrefix, jsonBytes } from './bytes.js';
import {
  ERROR_KEYS,
  SECRET_KEY,
  describeNode,
  isRegExp,
  squash,
  stateless,
  tagOf,
  take,
} from './helpers.js';
import type { LogPayloadProcessorOptions } from '../../../../src/payload/options.js';

/** Turns one value into bounded, frozen, JSON-safe data. Never throws. */
export type Normalize = (value: unknown) => unknown;

const OWNER = 'LogPayloadProcessor';
const REDACTED = '[REDACTED]';
const UNREADABLE = '[Unreadable]';
// Room each open object/array keeps for its `,"…":"[+N more keys]"` marker (10 digits fit), and
// room a cut string keeps for `…[truncated N chars]`: so a cut can always say so within budget.
const RESERVE = 32;

/**
 * Validates processor options and creates the normalizer behind a `LogPayloadProcessor`. Its walk
 * state lives in this closure and is reset per call; a call made while one runs (a getter or
 * `toJSON` that logs) gets a fresh normalizer. Internally `undefined` means "did not fit": nothing
 * normalizes to it.
 * @throws LogConfigError naming the option and what it must be
 */
export function createReferenceNormalizer(options?: LogPayloadProcessorOptions): Normalize {
  const o = optionsObject(OWNER, options);
  /** `o[key]` (or `fallback`) when `ok`; messages as the README documents them. */
  const opt = <T>(
    key: keyof LogPayloadProcessorOptions,
    fallback: T,
    ok: (value: any) => boolean,
    must: string,
  ): T => {
    const value = o[key] ?? fallback;
    // (an object is shown by its type: rendering it could throw)
    if (!ok(value))
      configFail(
        OWNER,
        `${key} must be ${must}, got ${value === Object(value) ? typeof value : String(value)}`,
      );
    return value as T;
  };
  const int = (key: keyof LogPayloadProcessorOptions, fallback: number, min = 1): number =>
    opt(key, fallback, (v) => Number.isInteger(v) && v >= min, `an integer >= ${min}`);
  const maxDepth = int('maxDepth', 10);
  const maxKeys = int('maxKeys', 100);
  const maxItems = int('maxItems', 100);
  const maxLength = int('maxStringLength', 4096);
  const maxBytes = int('maxBytes', 16384, 64); // the smallest budget in which a cut marker fits
  const defaults = opt('redactDefaultKeys', true, (v) => typeof v == 'boolean', 'a boolean');
  // a string as its squashed form; a RegExp tested against the key as written
  const redactKeys = opt<(string | RegExp)[]>(
    'redactKeys',
    [],
    (v) => Array.isArray(v) && v.every((k) => typeof k == 'string' || isRegExp(k)),
    'an array of strings and RegExps',
  ).map((k) => (typeof k == 'string' ? squash(k) : stateless(k)));
  // A pattern that matches '' would put "[REDACTED]" between every two characters. (search()
  // restores lastIndex: the caller's RegExp is left as it was.) `g` so that every occurrence
  // goes; replace() resets lastIndex, so the flag carries no state.
  const valuePatterns = opt<RegExp[]>(
    'redactValues',
    [],
    (v) => Array.isArray(v) && v.every((p) => isRegExp(p) && ''.search(p) < 0),
    'an array of RegExps that cannot match an empty string',
  ).map((p) => stateless(p, 'g'));

  // Keys are cached with their JSON size and redaction verdict; the cache is cleared when full, so
  // objects keyed by ids cannot grow it without bound.
  const keySizes = new Map<string, number>();
  const stack: object[] = []; // containers being copied, outermost first: cycle detection
  const path: (string | number)[] = []; // the key that led to each, for "[Circular ~.a.b]"
  let used = 0; // JSON bytes of the output so far, closing brackets of open containers included
  let limit = 0; // maxBytes minus the marker room of every open container
  let busy = false;

  const fit = (value: unknown, bytes: number): unknown =>
    used + bytes > limit ? undefined : ((used += bytes), value);

  /** JSON size of `"key":`, negated when the key names a secret. */
  const keySize = (key: string): number => {
    if (key.length > maxBytes) return maxBytes; // can never fit: no need to measure or cache it
    let size = keySizes.get(key);
    if (size === undefined) {
      if (keySizes.size >= 1000) keySizes.clear();
      const word = squash(key);
      size = jsonBytes(key) + 1;
      if (
        (defaults && SECRET_KEY.test(word)) ||
        redactKeys.some((k) => (typeof k == 'string' ? k == word : k.test(key)))
      )
        size = -size;
      keySizes.set(key, size);
    }
    return size;
  };

  const text = (s: string): string | undefined => {
    const length = s.length;
    // cut before a high surrogate rather than between it and its pair
    if (length > maxLength) s = s.slice(0, cutPoint(s, maxLength));
    const dropped = length - s.length;
    for (const p of valuePatterns) s = s.replace(p, REDACTED);
    // DECIDED (issue 12 item 5): lone surrogates become U+FFFD, after redaction (same length)
    s = (s as unknown as { toWellFormed(): string }).toWellFormed();
    const room = limit - used;
    const size = jsonBytes(s);
    if (!dropped && size <= room) {
      used += size;
      return s;
    }
    if (room < RESERVE + 2) return;
    // cut by length, or to keep what fits with room for the marker
    const keep = size > room - RESERVE ? fitPrefix(s, room - RESERVE) : s.length;
    const marker = `…[truncated ${s.length - keep + dropped} chars]`;
    // '…' is one code unit and three UTF-8 bytes; a budget cut simply takes the rest of the room
    used = keep < s.length ? limit : used + size + marker.length + 2;
    return s.slice(0, keep) + marker;
  };

  const walk = (value: any, key: string | number, depth: number): unknown =>
    value == null
      ? fit(null, 4)
      : typeof value == 'object' || typeof value == 'function'
        ? object(value, key, depth)
        : typeof value == 'boolean'
          ? fit(value, value ? 4 : 5)
          : // a finite number: `+ 0` turns -0 into the 0 JSON writes
            typeof value == 'number' && value - value === 0
            ? fit(value + 0, `${value}`.length)
            : // a string; NaN, ±Infinity, BigInt and Symbol as theirs
              text(String(value));

  /**
   * An object or function: copied into a frozen object or array when it is a container (plain
   * object, array, Error, Map, Set, Event) above the depth limit, else described by a string.
   */
  const object = (value: any, key: string | number, depth: number): unknown => {
    const mark = stack.length;
    const usedBefore = used;
    const limitBefore = limit;
    try {
      const at = stack.indexOf(value);
      if (at >= 0) return text(`[Circular ${['~', ...path.slice(1, at + 1)].join('.')}]`);
      let tag = 'Array';
      if (!Array.isArray(value)) {
        const proto = Object.getPrototypeOf(value);
        tag = proto === Object.prototype || proto === null ? 'Object' : tagOf(value);
      }
      // like JSON.stringify; the result is one level deeper, so a toJSON returning `this` ends
      if (tag != 'Date' && typeof value.toJSON == 'function' && depth <= maxDepth)
        return walk(value.toJSON(`${key}`), key, depth + 1);
      const deep = depth >= maxDepth;
      // A container is copied: `keys` of `src` (null: items 0…total-1), `total` counting what a
      // Map or Set holds beyond what was taken. Anything else is shown as a string: `str`, or by
      // default its tag (`[Window]`, `[Promise]`; a container at the depth limit: `[Object]`).
      let src = value;
      let keys: string[] | null = null;
      let total = -1;
      let str: string | undefined;
      if (tag == 'Object' || tag == 'Array') {
        // plain objects and arrays first: the hot path
        if (!deep) total = (tag == 'Array' ? value : (keys = Object.keys(value))).length;
      } else if (typeof value == 'function') str = `[Function ${value.name || 'anonymous'}]`;
      else if (tag == 'Error' || tag == 'DOMException') {
        // name, message, stack, cause, errors and own enumerable keys; "Name: message" when deep
        if (deep) str = `${value.name}: ${value.message}`;
        else total = (keys = [...new Set(ERROR_KEYS.concat(Object.keys(value)))]).length;
      } else if (tag == 'Date') {
        const time = Date.prototype.getTime.call(value);
        str = time === time ? new Date(time).toISOString() : '[Invalid Date]';
      } else if (/^(RegExp|String|Number|Boolean)$/.test(tag))
        str = `${value}`; // boxed: its string
      else if (typeof value.nodeType == 'number') str = describeNode(value);
      else if (ArrayBuffer.isView(value) || tag.endsWith('Buffer'))
        str = `[${tag}(${value.length ?? value.byteLength})]`; // length in elements, or bytes
      else if (deep) {
        // stays `[Map]`, `[Set]`, `[MouseEvent]`
      } else if (tag == 'Map') {
        src = Object.fromEntries(take(value, maxKeys) as [unknown, unknown][]);
        keys = Object.keys(src);
        total = value.size;
      } else if (tag == 'Set') {
        src = take(value, maxItems);
        total = value.size;
      } else if (tag.endsWith('Event')) {
        // its type and target, which is described as any value is (`<button#buy>`)
        keys = ['type', 'target'];
        total = 2;
      }
      if (total < 0) return text(str ?? `[${tag}]`);

      if (used + 2 > limit - RESERVE) return;
      used += 2;
      limit -= RESERVE;
      stack.push(value);
      path.push(key);
      const out: any = keys ? {} : [];
      const count = Math.min((keys ?? src).length, keys ? maxKeys : maxItems);
      let shown = 0;
      let renamed = false; // DECIDED (issue 12 item 5): see below
      let i = 0;
      for (; i < count; i++) {
        // no marker can follow the last member, so it may use the marker's room
        if (i === total - 1) limit = limitBefore;
        const k = keys ? keys[i] : i;
        // DECIDED (issue 12 item 5): a key is written well-formed, measured and matched against
        // secrets as written; two keys that became one: the first is kept, the other dropped
        const name =
          typeof k == 'string' ? (k as unknown as { toWellFormed(): string }).toWellFormed() : k;
        if (name !== k || renamed) {
          if (Object.prototype.hasOwnProperty.call(out, name)) continue;
          renamed = true;
        }
        let size = keys ? keySize(name as string) : 0;
        const secret = size < 0; // a secret is never read: its getter does not even run
        let item: unknown;
        if (secret) size = -size;
        else {
          try {
            item = src[k];
          } catch {
            item = UNREADABLE;
          }
          if (item === undefined && keys) continue; // dropped, as JSON.stringify does
        }
        const before = used;
        used += shown ? size + 1 : size;
        item = secret ? fit(REDACTED, 12) : walk(item, k, depth + 1);
        if (item === undefined) {
          used = before;
          break;
        }
        // a plain assignment to "__proto__" would set the prototype instead of a property
        if (name === '__proto__')
          Object.defineProperty(out, name, { value: item, enumerable: true });
        else out[name] = item; // DECIDED (issue 12 item 5): `name`, was `k`
        shown++;
      }
      stack.pop();
      path.pop();
      limit = limitBefore;
      if (i < total) {
        const marker = `[+${total - i} more ${keys ? 'keys' : 'items'}]`;
        // `,"…":"` + `"` for an object ('…' takes 3 bytes), `,"` + `"` for an array
        used += marker.length + (shown ? 3 : 2) + (keys ? 6 : 0);
        out[keys ? '…' : shown] = marker;
      }
      return Object.freeze(out);
    } catch {
      // a throwing getter, trap or toJSON, a revoked Proxy: undo what this value had started
      stack.length = path.length = mark;
      used = usedBefore;
      limit = limitBefore;
      return text(UNREADABLE);
    }
  };

  return (value) => {
    if (busy) return createReferenceNormalizer(options)(value);
    busy = true;
    used = 0;
    limit = maxBytes;
    try {
      // (never `undefined`: the smallest budget fits any marker and an empty container)
      return walk(value, '', 0);
    } catch {
      // only a stack overflow in a catch above gets here (the app logged near the stack limit)
      stack.length = path.length = 0;
      return UNREADABLE;
    } finally {
      busy = false;
    }
  };
}
