import { cutPoint, escapedBytes, fitPrefix, isPlain, numberBytes, wellFormed } from './bytes.js';
import { describeObject } from './describe.js';
import { tagOf } from './helpers.js';
import { createKeyTable } from './keys.js';
import { lastNormalized } from './lastNormalized.js';
import { defaultProcessorLimits, resolveProcessorOptions, type ProcessorLimits } from './limits.js';
import type { LogPayloadProcessorOptions } from './options.js';

/** Turns one value into bounded, JSON-safe data (a fresh copy, not frozen). Never throws. */
export type Normalize = (value: unknown) => unknown;

const REDACTED = '[REDACTED]';
const UNREADABLE = '[Unreadable]';
// Room each open object/array keeps for its `,"…":"[+N more keys]"` marker (10 digits fit), and
// room a cut string keeps for `…[truncated N chars]`: so a cut can always say so within budget.
const RESERVE = 32;
const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Validates processor options and creates the normalizer behind a `LogPayloadProcessor`.
 * @throws LogConfigError naming the option and what it must be
 */
export function createNormalizer(options?: LogPayloadProcessorOptions): Normalize {
  return createWalker(resolveProcessorOptions(options));
}

/**
 * The normalizer of a processor made without options, without the option checks: what a
 * `LogContext` without a `payloadProcessor` uses, so an app that never imports
 * `LogPayloadProcessor` does not bundle its option parser.
 */
export const createDefaultNormalizer = (): Normalize => createWalker(defaultProcessorLimits());

/**
 * The normalizer for validated limits. Its walk state lives in this closure and is reset per call;
 * a call made while one runs (a getter or `toJSON` that logs) gets a fresh normalizer. Internally
 * `undefined` means "did not fit": nothing normalizes to it.
 *
 * Speed (issue 14): arrays and objects are copied by separate loops, so each store site sees one
 * kind of container; integer sizes are counted without building strings; nothing is frozen.
 */
function createWalker(limits: ProcessorLimits): Normalize {
  const { _maxDepth: maxDepth, _maxKeys: maxKeys, _maxItems: maxItems } = limits;
  const { _maxStringLength: maxLength, _maxBytes: maxBytes, _redactValues: valuePatterns } = limits;
  const keyInfo = createKeyTable(limits);
  const stack: object[] = []; // containers being copied, outermost first: cycle detection
  const path: (string | number)[] = []; // the key that led to each, for "[Circular ~.a.b]"
  let used = 0; // JSON bytes of the output so far, closing brackets of open containers included
  let limit = 0; // maxBytes minus the marker room of every open container
  let busy = false;

  const fit = (value: unknown, bytes: number): unknown =>
    used + bytes > limit ? undefined : ((used += bytes), value);

  const text = (s: string): string | undefined => {
    const length = s.length;
    // cut before a high surrogate rather than between it and its pair
    if (length > maxLength) s = s.slice(0, cutPoint(s, maxLength));
    const dropped = length - s.length;
    for (let i = 0; i < valuePatterns.length; i++) s = s.replace(valuePatterns[i], REDACTED);
    const room = limit - used;
    let size = s.length + 2;
    // well-formed after redaction (a pattern could split a pair); the length does not change
    if (!isPlain(s)) size = escapedBytes((s = wellFormed(s)));
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

  const walk = (value: any, key: string | number, depth: number): unknown => {
    switch (typeof value) {
      case 'string':
        return text(value);
      case 'number':
        // a finite number: `+ 0` turns -0 into the 0 JSON writes; NaN and ±Infinity as strings
        return value - value === 0 ? fit(value + 0, numberBytes(value)) : text(`${value}`);
      case 'boolean':
        return fit(value, value ? 4 : 5);
      case 'object':
      case 'function':
        return value === null ? fit(null, 4) : object(value, key, depth);
      case 'undefined':
        return fit(null, 4);
      default:
        return text(String(value)); // BigInt and Symbol as their strings
    }
  };

  /**
   * An object or function: copied into a fresh object or array when it is a container (plain
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
      if (tag == 'Object' || tag == 'Array') {
        // plain objects and arrays first: the hot path
        if (deep) return text(`[${tag}]`);
        if (tag == 'Array') return copyArray(value, value.length, value, key, depth);
        const keys = Object.keys(value);
        return copyObject(value, keys, keys.length, value, key, depth);
      }
      const described = describeObject(value, tag, deep, limits);
      if (typeof described == 'string') return text(described);
      const { _source: source, _keys: keys, _total: total } = described;
      return keys
        ? copyObject(source, keys, total, value, key, depth)
        : copyArray(source, total, value, key, depth);
    } catch {
      // a throwing getter, trap or toJSON, a revoked Proxy: undo what this value had started
      stack.length = path.length = mark;
      used = usedBefore;
      limit = limitBefore;
      return text(UNREADABLE);
    }
  };

  /** Opens a container for `value`: false when not even an empty one fits. */
  const open = (value: object, key: string | number): boolean => {
    if (used + 2 > limit - RESERVE) return false;
    used += 2;
    limit -= RESERVE;
    stack.push(value);
    path.push(key);
    return true;
  };

  /** Items 0…n-1 of `source` (an array, or what a Set holds), `total` counting the rest. */
  const copyArray = (
    source: any,
    total: number,
    value: object,
    key: string | number,
    depth: number,
  ): unknown[] | undefined => {
    const limitBefore = limit;
    if (!open(value, key)) return;
    const out: unknown[] = [];
    const count = Math.min(source.length, maxItems);
    let i = 0;
    for (; i < count; i++) {
      // no marker can follow the last item, so it may use the marker's room
      if (i === total - 1) limit = limitBefore;
      let item: unknown;
      try {
        item = source[i];
      } catch {
        item = UNREADABLE;
      }
      const before = used;
      if (i) used++; // the comma
      item = walk(item, i, depth + 1);
      if (item === undefined) {
        used = before;
        break;
      }
      out.push(item);
    }
    stack.pop();
    path.pop();
    limit = limitBefore;
    if (i < total) {
      const marker = `[+${total - i} more items]`;
      used += marker.length + (i ? 3 : 2); // `,"` + `"`
      out.push(marker);
    }
    return out;
  };

  /** Properties `keys` of `source`, `total` counting what a Map holds beyond them. */
  const copyObject = (
    source: any,
    keys: string[],
    total: number,
    value: object,
    key: string | number,
    depth: number,
  ): Record<string, unknown> | undefined => {
    const limitBefore = limit;
    if (!open(value, key)) return;
    const out: Record<string, unknown> = {};
    let count = Math.min(keys.length, maxKeys);
    let renamed = false; // a key was made well-formed: it may now equal another
    let shown = 0;
    let i = 0;
    // A plain object's ordinary members are read by for-in, served from V8's enum cache (several
    // times faster than a keyed load); any other member, or a key that is not the next of `keys`,
    // hands over to the loop below. Nothing is read twice.
    if (source === value)
      for (const k in source) {
        const { _name: name, _bytes: size, _secret: secret } = keyInfo(k);
        if (i === count || k !== keys[i] || name !== k || secret || k === '__proto__') break;
        if (i === total - 1) limit = limitBefore;
        let item: unknown;
        try {
          item = source[k];
        } catch {
          item = UNREADABLE;
        }
        i++;
        if (item !== undefined) {
          const before = used;
          used += shown ? size + 1 : size;
          if ((item = walk(item, k, depth + 1)) === undefined) {
            used = before;
            count = --i; // did not fit: no more members
            break;
          }
          out[k] = item;
          shown++;
        }
      }
    for (; i < count; i++) {
      // no marker can follow the last member, so it may use the marker's room
      if (i === total - 1) limit = limitBefore;
      const k = keys[i];
      const { _name: name, _bytes: size, _secret: secret } = keyInfo(k);
      if (name !== k || renamed) {
        if (hasOwn.call(out, name)) continue; // two keys that became one: the first is kept
        renamed = true;
      }
      let item: unknown;
      if (!secret) {
        // a secret is never read: its getter does not even run
        try {
          // by name: V8 serves an Error's `stack` to a megamorphic keyed load ~7x slower
          item = k == 'stack' ? source.stack : source[k];
        } catch {
          item = UNREADABLE;
        }
        if (item === undefined) continue; // dropped, as JSON.stringify does
      }
      const before = used;
      used += shown ? size + 1 : size;
      item = secret ? fit(REDACTED, 12) : walk(item, k, depth + 1);
      if (item === undefined) {
        used = before;
        break;
      }
      // a plain assignment to "__proto__" would set the prototype instead of a property
      if (name === '__proto__') Object.defineProperty(out, name, { value: item, enumerable: true });
      else out[name] = item;
      shown++;
    }
    stack.pop();
    path.pop();
    limit = limitBefore;
    if (i < total) {
      const marker = `[+${total - i} more keys]`;
      // `,"…":"` + `"` ('…' takes 3 bytes)
      used += marker.length + (shown ? 3 : 2) + 6;
      out['…'] = marker;
    }
    return out;
  };

  return (value) => {
    if (busy) return createWalker(limits)(value);
    busy = true;
    used = 0;
    limit = maxBytes;
    try {
      // (never `undefined`: the smallest budget fits any marker and an empty container)
      const out = walk(value, '', 0);
      if (typeof out == 'object') {
        lastNormalized._value = out;
        lastNormalized._bytes = used;
      }
      return out;
    } catch {
      // only a stack overflow in a catch above gets here (the app logged near the stack limit)
      stack.length = path.length = 0;
      return UNREADABLE;
    } finally {
      busy = false;
    }
  };
}
