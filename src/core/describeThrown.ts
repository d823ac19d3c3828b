/** A thrown value's one-line summary: `Name: message` for errors, a safe string otherwise. */
export function describeThrown(value: unknown): string {
  try {
    return isErrorLike(value)
      ? value.message
        ? `${value.name}: ${value.message}`
        : value.name
      : String(value);
  } catch {
    // Hostile values (a Proxy whose traps throw, an object whose toString throws).
    return '[unprintable value]';
  }
}

/** Whether `value` looks like an Error, also one from another realm (iframe) or a DOMException. */
export function isErrorLike(value: any): value is Error {
  return (
    value instanceof Error ||
    (typeof value?.name === 'string' && typeof value.message === 'string' && 'stack' in value)
  );
}
