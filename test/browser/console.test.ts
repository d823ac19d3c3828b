import { describe, expect, it } from 'vitest';
import { ConsoleSink, LogContext } from '../../src/index.js';

describe('ConsoleSink in Chromium', () => {
  it('writes to the real console and tolerates DOM payloads', () => {
    const seen: unknown[][] = [];
    const original = console.info;
    console.info = (...args: unknown[]) => {
      seen.push(args);
    };
    try {
      const ctx = new LogContext({ namespace: 'browser', sinks: new ConsoleSink() });
      ctx.info('real console', { when: 'now' });
    } finally {
      console.info = original;
    }
    expect(seen[0]).toEqual(['%s', 'INFO [browser] real console', { when: 'now' }]);
    expect(typeof window).toBe('object');
  });
});
