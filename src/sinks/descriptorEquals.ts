import type { LogSinkDescriptor } from '../core/sink.js';

/** Structural equality of plain values (primitives, arrays, plain objects); identity for anything else. */
export function plainEquals(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((v, i) => plainEquals(v, b[i]));
  }
  if (!isPlainObject(a) || !isPlainObject(b)) return false;
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && plainEquals(a[k], b[k]))
  );
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Whether two descriptors name the same sink with compatible configuration. */
export function descriptorEquals(a: LogSinkDescriptor, b: LogSinkDescriptor): boolean {
  return (
    a.sinkType === b.sinkType &&
    plainEquals(a.resourceKey, b.resourceKey) &&
    plainEquals(a.configKey, b.configKey)
  );
}

/** A readable one-line form of a descriptor for error messages. */
export function describeDescriptor(d: LogSinkDescriptor): string {
  try {
    return JSON.stringify({
      sinkType: d.sinkType,
      resourceKey: d.resourceKey,
      configKey: d.configKey,
    });
  } catch {
    return `{"sinkType":${JSON.stringify(String(d.sinkType))}, …}`;
  }
}
