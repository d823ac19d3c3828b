import { describe, expect, it } from 'vitest';
import { LogContext, LogPayloadProcessor } from '../../../src/index.js';
import { MemorySink } from '../../fakes/memorySink.js';

describe('LogPayloadProcessor inside LogContext', () => {
  it('gives every sink the same frozen, normalized payload and redacted bound attributes', () => {
    const a = new MemorySink();
    const b = new MemorySink();
    const log = new LogContext({
      sinks: { a, b },
      context: { apiKey: 'k-1', user: 'ada' },
      payloadProcessor: new LogPayloadProcessor({ maxItems: 2 }),
    });
    const cyclic: any = { list: [1, 2, 3] };
    cyclic.me = cyclic;
    log.child('cart', { session: 's-9' }).info('updated', { cyclic, at: new Date(0) });
    const [event] = a.events;
    expect(b.events[0].payload).toBe(event.payload);
    expect(event.payload).toEqual({
      cyclic: { list: [1, 2, '[+1 more items]'], me: '[Circular ~.cyclic]' },
      at: '1970-01-01T00:00:00.000Z',
    });
    expect(Object.isFrozen((event.payload as any).cyclic.list)).toBe(true);
    expect(event.context).toEqual({ apiKey: '[REDACTED]', user: 'ada', session: '[REDACTED]' });
  });
});
