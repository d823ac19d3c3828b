import { jsonSize } from './bytes.js';
import { tagOf, viewOf } from './describe.js';
import type { ResolvedPayloadOptions } from './options.js';
import { REDACTED } from './redact.js';

/** Turns one value into bounded, frozen, JSON-safe data. Never throws. */
export type Normalize = (value: unknown) => unknown;

// Room each open object/array keeps for its `,"…":"[+N more keys]"` marker (10 digits fit), and
// room a cut string keeps for `…[truncated N chars]`: so a cut can always say so within budget.
const RESERVE = 32;
// Keys are cached with their JSON size and redaction verdict; the cache is cleared when full, so
// objects keyed by ids cannot grow it without bound.
const KEY_CACHE_SIZE = 1000;
const UNREADABLE = '[Unreadable]';

type Key = string | number;

/**
 * Creates the normalizer behind a `LogPayloadProcessor`. Its walk state lives in this closure and
 * is reset per call; a call made while one runs (a getter or `toJSON` that logs) gets a fresh
 * normalizer. Internally `undefined` means "did not fit": nothing normalizes to it.
 */
export function createNormalizer(options: ResolvedPayloadOptions): Normalize {
  const { maxDepth, maxKeys, maxItems, maxStringLength, maxBytes, isSecretKey, redactText } =
    options;
  const keySizes = new Map<string, number>();
  const stack: object[] = []; // containers being copied, outermost first: cycle detection
  const path: Key[] = []; // the key that led to each, for the "[Circular ~.a.b]" marker
  let used = 0; // JSON bytes of the output so far, closing brackets of open containers included
  let limit = 0; // maxBytes minus the marker room of every open container
  let busy = false;

  const fit = (value: unknown, bytes: number): unknown => {
    if (used + bytes > limit) return undefined;
    used += bytes;
    return value;
  };

  /** JSON size of `"key":`, negated when the key names a secret. */
  const keySize = (key: string): number => {
    if (key.length > maxBytes) return maxBytes; // can never fit: no need to measure or cache it
    let size = keySizes.get(key);
    if (size === undefined) {
      if (keySizes.size >= KEY_CACHE_SIZE) keySizes.clear();
      size = jsonSize(key, Infinity, 0) + 1;
      keySizes.set(key, (size = isSecretKey(key) ? -size : size));
    }
    return size;
  };

  const text = (s: string): string | undefined => {
    let dropped = 0;
    if (s.length > maxStringLength) {
      // cut before a high surrogate rather than between it and its pair
      const end =
        maxStringLength - ((s.charCodeAt(maxStringLength - 1) & 0xfc00) === 0xd800 ? 1 : 0);
      dropped = s.length - end;
      s = s.slice(0, end);
    }
    if (redactText) s = redactText(s);
    const room = limit - used;
    const size = dropped ? jsonSize(s, room - RESERVE, 0) : jsonSize(s, room, RESERVE);
    if (size >= 0 && !dropped) {
      used += size;
      return s;
    }
    if (size < 0 && room < RESERVE + 2) return undefined;
    const keep = size < 0 ? ~size : s.length;
    const marker = `…[truncated ${s.length - keep + dropped} chars]`;
    // '…' is one code unit and three UTF-8 bytes; a budget cut simply takes the rest of the room
    used = size < 0 ? limit : used + size + marker.length + 2;
    return s.slice(0, keep) + marker;
  };

  const walk = (value: unknown, key: Key, depth: number): unknown => {
    switch (typeof value) {
      case 'string':
        return text(value);
      case 'number':
        // finite: `+ 0` turns -0 into the 0 JSON writes; NaN and ±Infinity become strings
        return value - value === 0 ? fit(value + 0, `${value}`.length) : text(`${value}`);
      case 'boolean':
        return fit(value, value ? 4 : 5);
      case 'bigint':
      case 'symbol':
        return text(String(value));
      case 'undefined':
        return fit(null, 4);
      default:
        return value === null ? fit(null, 4) : object(value, key, depth);
    }
  };

  /** Copies `keys` of `src` (`null`: items `0…total-1`) into a frozen object or array. */
  const copy = (
    src: any,
    keys: string[] | null,
    total: number,
    self: object,
    key: Key,
    depth: number,
  ) => {
    if (used + 2 > limit - RESERVE) return undefined;
    used += 2;
    limit -= RESERVE;
    stack.push(self);
    path.push(key);
    const out: any = keys ? {} : [];
    const count = keys ? Math.min(keys.length, maxKeys) : Math.min(total, maxItems);
    let shown = 0;
    let reserved = RESERVE;
    let i = 0;
    for (; i < count; i++) {
      // no marker can follow the last member, so it may use the marker's room
      if (i === total - 1) {
        limit += reserved;
        reserved = 0;
      }
      const k = keys ? keys[i] : i;
      let size = keys ? keySize(k as string) : 0;
      const secret = size < 0; // a secret is never read: its getter does not even run
      let value: unknown;
      if (secret) size = -size;
      else {
        try {
          value = src[k];
        } catch {
          value = UNREADABLE;
        }
        if (value === undefined && keys) continue; // dropped, as JSON.stringify does
      }
      const before = used;
      used += shown ? size + 1 : size;
      value = secret ? fit(REDACTED, 12) : walk(value, k, depth + 1);
      if (value === undefined) {
        used = before;
        break;
      }
      // a plain assignment to "__proto__" would set the prototype instead of a property
      if (k === '__proto__') Object.defineProperty(out, k, { value, enumerable: true });
      else out[k] = value;
      shown++;
    }
    stack.pop();
    path.pop();
    limit += reserved;
    if (i < total) {
      const marker = `[+${total - i} more ${keys ? 'keys' : 'items'}]`;
      // `,"…":"` + `"` for an object ('…' takes 3 bytes), `,"` + `"` for an array
      used += marker.length + (shown ? 3 : 2) + (keys ? 6 : 0);
      out[keys ? '…' : shown] = marker;
    }
    return Object.freeze(out);
  };

  const object = (value: any, key: Key, depth: number): unknown => {
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
      if (tag !== 'Date' && typeof value.toJSON === 'function' && depth <= maxDepth) {
        return walk(value.toJSON(`${key}`), key, depth + 1);
      }
      const deep = depth >= maxDepth;
      // plain objects and arrays first: the hot path
      if (tag === 'Object' && !deep) {
        const keys = Object.keys(value);
        return copy(value, keys, keys.length, value, key, depth);
      }
      if (tag === 'Array' && !deep) return copy(value, null, value.length, value, key, depth);
      const view = viewOf(value, tag, deep, maxKeys, maxItems);
      if (typeof view === 'string') return text(view);
      return deep ? text(`[${tag}]`) : copy(view[0], view[1], view[2], value, key, depth);
    } catch {
      // a throwing getter, trap or toJSON, a revoked Proxy: undo what this value had started
      stack.length = path.length = mark;
      used = usedBefore;
      limit = limitBefore;
      return text(UNREADABLE);
    }
  };

  return (value) => {
    if (busy) return createNormalizer(options)(value);
    busy = true;
    used = 0;
    limit = maxBytes;
    try {
      return walk(value, '', 0) ?? null;
    } catch {
      // not reached (walk catches and copy leaves stack and path as it found them); here so that
      // a future bug cannot throw
      stack.length = path.length = 0;
      return UNREADABLE;
    } finally {
      busy = false;
    }
  };
}
