import { describe, expect, it } from 'vitest';
import { LogContext, LogPayloadProcessor } from '../../../src/index.js';
import { defaultProcessorLimits, resolveProcessorOptions } from '../../../src/payload/limits.js';
import { MemorySink } from '../../fakes/memorySink.js';

describe('LogPayloadProcessor inside LogContext', () => {
  it('gives every sink the same normalized payload (a copy, not frozen) and redacted bound attributes', () => {
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
    // issue 14: the event is frozen; the payload is a fresh copy, not frozen at run time
    expect(Object.isFrozen(event)).toBe(true);
    expect(Object.isFrozen((event.payload as any).cyclic.list)).toBe(false);
    cyclic.list.push(4); // the app's object changes after logging; what was logged does not
    expect((event.payload as any).cyclic.list).toEqual([1, 2, '[+1 more items]']);
    expect(event.context).toEqual({ apiKey: '[REDACTED]', user: 'ada', session: '[REDACTED]' });
  });

  it('without a payloadProcessor, normalizes as `new LogPayloadProcessor()` does (its defaults, no option checks bundled)', () => {
    expect(defaultProcessorLimits()).toEqual(resolveProcessorOptions(undefined));
    expect(defaultProcessorLimits()).toEqual(resolveProcessorOptions({}));
    // fresh arrays each time: a default processor never shares them
    expect(defaultProcessorLimits()._redactKeys).not.toBe(defaultProcessorLimits()._redactKeys);
    const withDefault = new MemorySink();
    const withProcessor = new MemorySink();
    const value: any = {
      password: 'p',
      text: 'x'.repeat(5000),
      list: Array.from({ length: 120 }, (_, i) => i),
      deep: { a: { b: { c: { d: { e: { f: { g: { h: { i: { j: { k: 1 } } } } } } } } } } },
    };
    value.self = value;
    new LogContext({ sinks: withDefault }).info('m', value);
    new LogContext({ sinks: withProcessor, payloadProcessor: new LogPayloadProcessor() }).info(
      'm',
      value,
    );
    expect(withDefault.events[0].payload).toEqual(withProcessor.events[0].payload);
    expect((withDefault.events[0].payload as any).password).toBe('[REDACTED]');
  });
});
