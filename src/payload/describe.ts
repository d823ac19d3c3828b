// How a non-primitive value is shown. Types are recognized by duck typing or by their
// Object.prototype.toString tag, never by `instanceof`, so values from another realm (an iframe)
// are recognized too.

/** A string to show, or `[source, keys, total]` to copy: `keys` null for an array-like. */
export type View = string | [source: any, keys: string[] | null, total: number];

const ERROR_KEYS = ['name', 'message', 'stack', 'cause', 'errors'];

/** The `[object X]` tag of a value: `'Date'`, `'Map'`, `'HTMLDivElement'`, … */
export const tagOf = (value: unknown): string => Object.prototype.toString.call(value).slice(8, -1);

/** The first `max` items of an iterable: a huge Map or Set is never copied whole. */
const take = (items: Iterable<unknown>, max: number): unknown[] => {
  const out: unknown[] = [];
  for (const item of items) {
    if (out.length >= max) break;
    out.push(item);
  }
  return out;
};

/** A DOM node as a CSS-like selector: `<div#main.card.open>`, `<#text>`, `<#document>`. */
export function describeNode(node: any): string {
  // SVG elements have an SVGAnimatedString className; only a string is a class list
  const cls: string = typeof node.className === 'string' ? node.className.trim() : '';
  return `<${`${node.nodeName}`.toLowerCase()}${node.id ? `#${node.id}` : ''}${cls && `.${cls.split(/\s+/).join('.')}`}>`;
}

/**
 * The view of an object that is not a plain object or array (those are copied directly):
 * - Error, DOMException: `name`, `message`, `stack`, `cause`, `errors` and own enumerable keys;
 *   below the depth limit (`deep`) the string `"TypeError: message"`
 * - Map: an object of its first entries (keys as strings); Set: an array
 * - Event: `{ type, target }` with the target described; Date: ISO string or `[Invalid Date]`
 * - RegExp: its source; boxed primitive: its string; DOM node: `<tag#id.class>`; typed array, ArrayBuffer, DataView:
 *   `[Uint8Array(16)]` (length in elements or bytes); function: `[Function name]`
 * - anything else: `[Tag]` (`[Window]`, `[Promise]`, `[WeakMap]`): host objects are not walked
 */
export function viewOf(
  value: any,
  tag: string,
  deep: boolean,
  maxKeys: number,
  maxItems: number,
): View {
  if (typeof value === 'function') return `[Function ${value.name || 'anonymous'}]`;
  if (tag === 'Error' || tag === 'DOMException') {
    if (deep) return `${value.name}: ${value.message}`;
    const keys = [...new Set(ERROR_KEYS.concat(Object.keys(value)))];
    return [value, keys, keys.length];
  }
  if (tag === 'Map') {
    const entries = Object.fromEntries(take(value, maxKeys) as [unknown, unknown][]);
    return [entries, Object.keys(entries), value.size];
  }
  if (tag === 'Set') return [take(value, maxItems), null, value.size];
  if (tag.endsWith('Event')) {
    const target = value.target;
    const where =
      target == null
        ? null
        : typeof target.nodeType === 'number'
          ? describeNode(target)
          : `[${tagOf(target)}]`;
    return [{ type: value.type, target: where }, ['type', 'target'], 2];
  }
  if (tag === 'Date') {
    const time = Date.prototype.getTime.call(value);
    return time === time ? new Date(time).toISOString() : '[Invalid Date]';
  }
  // a RegExp's source; a boxed primitive (new String('x')) as its string
  if (/^(RegExp|String|Number|Boolean)$/.test(tag)) return `${value}`;
  if (typeof value.nodeType === 'number') return describeNode(value);
  if (ArrayBuffer.isView(value) || tag.endsWith('Buffer')) {
    return `[${tag}(${value.length ?? value.byteLength})]`;
  }
  return `[${tag}]`;
}
