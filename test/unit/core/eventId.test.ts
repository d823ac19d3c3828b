import { afterEach, describe, expect, it, vi } from 'vitest';

describe('event ids', () => {
  const crypto = globalThis.crypto;
  afterEach(() => {
    Object.defineProperty(globalThis, 'crypto', { value: crypto, configurable: true });
    vi.resetModules();
  });

  it('are distinct, a per-realm prefix followed by a counter', async () => {
    vi.resetModules();
    const { createEventId } = await import('../../../src/index.js');
    const ids = Array.from({ length: 1000 }, createEventId);
    expect(new Set(ids).size).toBe(1000);
    const prefix = ids[0].slice(0, ids[0].indexOf('-') + 1);
    expect(prefix).toMatch(/^[0-9a-z]{14}-$/);
    expect(ids.every((id) => id.startsWith(prefix))).toBe(true);
    // the counter in base 36, digit for digit (built a digit at a time)
    const start = Number.parseInt(ids[0].slice(prefix.length), 36);
    expect(ids.every((id, i) => id === prefix + (start + i).toString(36))).toBe(true);
  });

  it('fall back to Math.random and time without Web Crypto, and logging never throws', async () => {
    Object.defineProperty(globalThis, 'crypto', { value: undefined, configurable: true });
    vi.resetModules();
    const { createEventId, LogContext } = await import('../../../src/index.js');
    const a = createEventId();
    expect(a).toMatch(/^[0-9a-z]{14}-0$/);
    expect(createEventId()).not.toBe(a);
    const events: { id: string }[] = [];
    const log = new LogContext({ sinks: { log: (e) => events.push(e) } });
    expect(() => log.info('no crypto')).not.toThrow();
    expect(events[0].id).toMatch(/^[0-9a-z]{14}-2$/);
  });
});
