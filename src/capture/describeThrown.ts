/** A thrown value's one-line summary: `Name: message` for errors, a safe string otherwise. */
export function describeThrown(value: unknown): string {
  try {
    if (isErrorLike(value)) return value.message ? `${value.name}: ${value.message}` : value.name;
    return typeof value === 'string' ? value : String(value);
  } catch {
    // Hostile values (a Proxy whose traps throw, an object whose toString throws).
    return '[unprintable value]';
  }
}

/** Whether `value` looks like an Error, also one from another realm (iframe) or a DOMException. */
export function isErrorLike(value: unknown): value is Error {
  return (
    value instanceof Error ||
    (typeof value === 'object' &&
      value !== null &&
      typeof (value as Error).name === 'string' &&
      typeof (value as Error).message === 'string' &&
      'stack' in value)
  );
}
