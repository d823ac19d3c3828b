/** Turns any application value into bounded, JSON-safe data. Never throws. */
export class LogPayloadProcessor {
  /** Returns a JSON-safe copy of `value`. */
  process(value: unknown): unknown {
    return copy(value, new Set());
  }
}

function copy(value: unknown, seen: Set<object>): unknown {
  try {
    if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
    if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
    if (typeof value !== 'object') return value === undefined ? null : String(value);
    if (seen.has(value)) return '[Circular]';
    seen.add(value);
    const out: Record<string, unknown> | unknown[] = Array.isArray(value) ? [] : {};
    for (const key of Object.keys(value)) (out as any)[key] = copy((value as any)[key], seen);
    seen.delete(value);
    return out;
  } catch {
    return '[Unreadable]';
  }
}
