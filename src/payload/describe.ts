import { ERROR_KEYS, describeNode, take } from './helpers.js';
import type { ProcessorLimits } from './limits.js';

/**
 * What a container other than a plain object or array is copied from: `_keys` of `_source`
 * (null: items 0…n-1 of an array), `_total` counting what a Map or Set holds beyond what was
 * taken.
 */
export interface ContainerSource {
  _source: any;
  _keys: string[] | null;
  _total: number;
}

/**
 * How a value that is not a plain object or array is shown: a container to copy (Error, Map, Set,
 * Event, above the depth limit) or a string (`[Window]`, `[Promise]`, a date; a container at the
 * depth limit: `[Map]`, `"TypeError: message"`). May throw (a hostile object): the caller marks it.
 * @param value - an object or function
 * @param tag - its `Object.prototype.toString` tag
 * @param deep - whether it is at the depth limit
 * @param limits - the processor's bounds
 */
export function describeObject(
  value: any,
  tag: string,
  deep: boolean,
  limits: ProcessorLimits,
): ContainerSource | string {
  if (typeof value == 'function') return `[Function ${value.name || 'anonymous'}]`;
  if (tag == 'Error' || tag == 'DOMException') {
    // name, message, stack, cause, errors and own enumerable keys; "Name: message" when deep
    if (deep) return `${value.name}: ${value.message}`;
    const own = Object.keys(value);
    let keys = ERROR_KEYS; // (never mutated by the copy)
    if (own.length) {
      keys = ERROR_KEYS.slice();
      for (const key of own) if (!keys.includes(key)) keys.push(key);
    }
    return { _source: value, _keys: keys, _total: keys.length };
  }
  if (tag == 'Date') {
    const time = Date.prototype.getTime.call(value);
    return time === time ? new Date(time).toISOString() : '[Invalid Date]';
  }
  if (/^(RegExp|String|Number|Boolean)$/.test(tag)) return `${value}`; // boxed: its string
  if (typeof value.nodeType == 'number') return describeNode(value);
  if (ArrayBuffer.isView(value) || tag.endsWith('Buffer'))
    return `[${tag}(${value.length ?? value.byteLength})]`; // length in elements, or bytes
  if (!deep) {
    if (tag == 'Map') {
      const source = Object.fromEntries(take(value, limits._maxKeys) as [unknown, unknown][]);
      return { _source: source, _keys: Object.keys(source), _total: value.size };
    }
    if (tag == 'Set')
      return { _source: take(value, limits._maxItems), _keys: null, _total: value.size };
    // its type and target, which is described as any value is (`<button#buy>`)
    if (tag.endsWith('Event')) return { _source: value, _keys: ['type', 'target'], _total: 2 };
  }
  return `[${tag}]`;
}
