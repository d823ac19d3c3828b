import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import {
  ConsoleSink,
  LogConfigError,
  LogContext,
  LogEventPolicy,
  LogPayloadProcessor,
  LOG_LEVELS,
  type LogDiagnostic,
  type LogLevel,
} from '../../../src/index.js';
import { createFakeClock } from '../../fakes/fakeClock.js';
import { createFakeConsole } from '../../fakes/fakeConsole.js';
import { MemorySink, ThrowingSink } from '../../fakes/memorySink.js';

describe('LogContext', () => {
  it('routes the decision record example through real sinks', () => {
    const consoleSink = new MemorySink();
    const upload = new MemorySink();
    const policy = new LogEventPolicy()
      .setFilter('console', '', 'warn')
      .setFilter('console', 'com.acme.shop/checkout', 'debug');
    const root = new LogContext({
      namespace: 'com.acme.shop',
      sinks: { console: consoleSink, upload },
      policy,
    });
    root.child('checkout/cart').debug('cart updated');
    root.child('search').debug('query');
    expect(consoleSink.events.map((e) => e.namespace)).toEqual(['com.acme.shop/checkout/cart']);
    expect(upload.events.map((e) => e.namespace)).toEqual([
      'com.acme.shop/checkout/cart',
      'com.acme.shop/search',
    ]);
  });

  it('builds a frozen event with meta, id, payload and bound context', () => {
    const sink = new MemorySink();
    const clock = createFakeClock(1234);
    const ctx = new LogContext({
      namespace: 'app',
      sinks: sink,
      context: { user: 'u1' },
      now: clock.now,
    });
    ctx.child('cart', { cart: 'c9' }).warn('hello', { n: 1 });
    const [event] = sink.events;
    expect(event).toMatchObject({
      namespace: 'app/cart',
      level: 'warn',
      severity: 13,
      message: 'hello',
      time: 1234,
      payload: { n: 1 },
      context: { user: 'u1', cart: 'c9' },
    });
    expect(typeof event.id).toBe('string');
    expect(Object.isFrozen(event)).toBe(true);
    expect(() => {
      (event as { message: string }).message = 'changed';
    }).toThrow(TypeError);
  });

  it('gives every event a distinct id', () => {
    const sink = new MemorySink();
    const ctx = new LogContext({ sinks: sink });
    for (let i = 0; i < 1000; i++) ctx.info('x');
    expect(new Set(sink.events.map((e) => e.id)).size).toBe(1000);
  });

  it('maps levels to OpenTelemetry severities', () => {
    const sink = new MemorySink();
    const ctx = new LogContext({ sinks: sink });
    for (const level of LOG_LEVELS) ctx[level]('m');
    expect(sink.events.map((e) => [e.level, e.severity])).toEqual([
      ['trace', 1],
      ['debug', 5],
      ['info', 9],
      ['warn', 13],
      ['error', 17],
      ['fatal', 21],
    ]);
  });

  it('does not evaluate a lazy payload nor call the processor when no sink accepts', () => {
    const processor = new LogPayloadProcessor();
    const process = vi.spyOn(processor, 'process');
    const policy = new LogEventPolicy().setFilter('default', '', 'warn');
    const ctx = new LogContext({ sinks: new MemorySink(), policy, payloadProcessor: processor });
    const lazy = vi.fn(() => ({ big: 'payload' }));
    const getter = vi.fn(() => 1);
    const payload = Object.defineProperty({}, 'touched', { get: getter, enumerable: true });
    ctx.debug('skipped', lazy);
    ctx.info('skipped', payload);
    expect(lazy).not.toHaveBeenCalled();
    expect(getter).not.toHaveBeenCalled();
    expect(process).not.toHaveBeenCalled();
    ctx.warn('taken', lazy);
    expect(lazy).toHaveBeenCalledOnce();
    expect(process).toHaveBeenCalledOnce();
  });

  it('does not evaluate the payload when a function filter rejects', () => {
    const policy = new LogEventPolicy().setFilter('default', '', (m) => m.message !== 'no');
    const ctx = new LogContext({ sinks: new MemorySink(), policy });
    const lazy = vi.fn(() => 1);
    ctx.info('no', lazy);
    expect(lazy).not.toHaveBeenCalled();
    ctx.info('yes', lazy);
    expect(lazy).toHaveBeenCalledOnce();
  });

  it('never throws from a throwing sink, filter or payload, and other sinks still receive', () => {
    const diagnostics: LogDiagnostic[] = [];
    const good = new MemorySink();
    const policy = new LogEventPolicy().setFilter('picky', '', () => {
      throw new Error('filter exploded');
    });
    const ctx = new LogContext({
      sinks: { bad: new ThrowingSink(), picky: new MemorySink(), good },
      policy,
      onDiagnostic: (d) => diagnostics.push(d),
    });
    const throwingGetter = Object.defineProperty({}, 'x', {
      enumerable: true,
      get() {
        throw new Error('getter exploded');
      },
    });
    expect(() => ctx.error('a', throwingGetter)).not.toThrow();
    expect(() =>
      ctx.error('b', () => {
        throw new Error('lazy exploded');
      }),
    ).not.toThrow();
    expect(() => ctx.error('c')).not.toThrow();
    expect(good.events.map((e) => e.message)).toEqual(['a', 'b', 'c']);
    // each kind is reported once
    expect(diagnostics.map((d) => d.kind).sort()).toEqual([
      'filter-threw:picky',
      'payload-threw',
      'sink-threw:bad',
    ]);
  });

  it('without a policy, every sink accepts every level', () => {
    const a = new MemorySink();
    const b = new MemorySink();
    const ctx = new LogContext({ namespace: 'app', sinks: { a, b } });
    const lazy = vi.fn(() => ({ n: 1 }));
    for (const level of LOG_LEVELS) {
      expect(ctx.isEnabled(level)).toBe(true);
      ctx.child('x')[level](level, lazy);
    }
    expect(lazy).toHaveBeenCalledTimes(LOG_LEVELS.length); // once per event, shared by both sinks
    expect(a.events.map((e) => e.level)).toEqual([...LOG_LEVELS]);
    expect(b.events).toEqual(a.events);
    expect(a.events[0].payload).toEqual({ n: 1 });
  });

  it('a throwing payload processor never throws: the event goes out with a placeholder, reported once', () => {
    const diagnostics: LogDiagnostic[] = [];
    const sink = new MemorySink();
    const ctx = new LogContext({
      sinks: sink,
      payloadProcessor: {
        process: () => {
          throw new Error('processor exploded');
        },
      } as unknown as LogPayloadProcessor,
      onDiagnostic: (d) => diagnostics.push(d),
    });
    expect(() => ctx.child('c', { a: 1 }).info('one', { x: 1 })).not.toThrow();
    ctx.info('two', { y: 2 });
    expect(sink.events.map((e) => [e.message, e.payload, e.context])).toEqual([
      ['one', '[unprocessable payload]', undefined],
      ['two', '[unprocessable payload]', undefined],
    ]);
    expect(diagnostics.map((d) => d.kind)).toEqual(['processor-threw']);
  });

  it('a throwing clock never throws: the event gets Date.now(), reported once', () => {
    const diagnostics: LogDiagnostic[] = [];
    const sink = new MemorySink();
    const ctx = new LogContext({
      sinks: sink,
      now: () => {
        throw new Error('clock broke');
      },
      onDiagnostic: (d) => diagnostics.push(d),
    });
    const before = Date.now();
    expect(() => ctx.info('one')).not.toThrow();
    ctx.warn('two');
    expect(sink.events.map((e) => e.message)).toEqual(['one', 'two']);
    for (const e of sink.events) expect(e.time).toBeGreaterThanOrEqual(before);
    expect(diagnostics.map((d) => d.kind)).toEqual(['clock-threw']);
  });

  it('reports to console.warn as it was at creation by default, each kind once', () => {
    const original = console.warn;
    const atCreation = vi.fn();
    const later = vi.fn();
    try {
      console.warn = atCreation;
      const ctx = new LogContext({ sinks: new ThrowingSink() });
      console.warn = later;
      ctx.info('a');
      ctx.info('b');
    } finally {
      console.warn = original;
    }
    expect(later).not.toHaveBeenCalled();
    expect(atCreation).toHaveBeenCalledTimes(1);
    expect(atCreation.mock.calls[0][0]).toMatch(/^\[mvx-logger\] sink-threw:default: /);
    expect(atCreation.mock.calls[0][1]).toBeInstanceOf(Error);
  });

  it('never recurses when the diagnostics handler logs or throws', () => {
    const sink = new ThrowingSink();
    const ctx: LogContext = new LogContext({
      sinks: sink,
      onDiagnostic: () => {
        ctx.error('from diagnostics');
        throw new Error('handler exploded');
      },
    });
    expect(() => ctx.error('x')).not.toThrow();
    expect(sink.calls).toBe(2);
  });

  it('recompiles level methods when the policy changes, for parents and children', () => {
    const sink = new MemorySink();
    const policy = new LogEventPolicy().setFilter('default', '', 'error');
    const root = new LogContext({ namespace: 'app', sinks: sink, policy });
    const child = root.child('net');
    expect(root.isEnabled('info')).toBe(false);
    expect(child.isEnabled('info')).toBe(false);
    expect(child.info).toBe(root.info); // the shared no-op
    policy.setFilter('default', 'app/net', 'debug');
    expect(root.isEnabled('info')).toBe(false);
    expect(child.isEnabled('debug')).toBe(true);
    child.debug('now on');
    expect(sink.events).toHaveLength(1);
    policy.clearFilter('default', 'app/net');
    child.debug('off again');
    expect(sink.events).toHaveLength(1);
  });

  it('isEnabled reflects levels that some sink may accept', () => {
    const policy = new LogEventPolicy().setFilter('a', '', 'warn').setFilter('b', '', 'error');
    const ctx = new LogContext({ sinks: { a: new MemorySink(), b: new MemorySink() }, policy });
    expect(LOG_LEVELS.map((l: LogLevel) => ctx.isEnabled(l))).toEqual([
      false,
      false,
      false,
      true,
      true,
      true,
    ]);
  });

  it('flushes and closes its sinks; closed contexts drop calls; close is idempotent', async () => {
    const sink = new MemorySink();
    const ctx = new LogContext({ sinks: sink });
    const child = ctx.child('x');
    await ctx.flush();
    expect(sink.flushed).toBe(1);
    await Promise.all([ctx.close(), ctx.close()]);
    expect(sink.closed).toBe(1);
    child.error('after close');
    expect(sink.events).toHaveLength(0);
    expect(child.isEnabled('fatal')).toBe(false);
  });

  it('close() makes every method a no-op before it flushes: a sink logging in flush() is dropped', async () => {
    const sink = new MemorySink();
    const order: string[] = [];
    const ctx = new LogContext({
      sinks: {
        sink,
        echo: {
          log: () => {},
          flush: () => {
            // e.g. a sink whose flush writes to a console that captureConsole forwards
            order.push(`flush: info ${ctx.isEnabled('info') ? 'on' : 'off'}`);
            ctx.child('late').info('logged while flushing');
            return Promise.resolve();
          },
          close: () => void order.push('close'),
        },
      },
    });
    await ctx.close();
    expect(order).toEqual(['flush: info off', 'close']);
    expect(sink.events).toHaveLength(0);
  });

  it('fails fast on bad options with a named error', () => {
    expect(() => new LogContext(undefined as never)).toThrow(LogConfigError);
    expect(() => new LogContext({} as never)).toThrow(/sinks/);
    expect(() => new LogContext({ sinks: { x: {} as never } })).toThrow(/sink 'x'/);
    expect(() => new LogContext({ sinks: new MemorySink(), policy: {} as never })).toThrow(
      /policy/,
    );
    expect(() => new LogContext({ sinks: new MemorySink(), namespace: 1 as never })).toThrow(
      /namespace/,
    );
    expect(() => new LogContext({ sinks: new MemorySink() }).child('a', 3 as never)).toThrow(
      LogConfigError,
    );
  });

  it('normalizes bound attributes once and never mutates them', () => {
    const sink = new MemorySink();
    const attrs = { big: 10n, nested: { ok: true } };
    const ctx = new LogContext({ sinks: sink, context: attrs });
    ctx.info('a');
    ctx.info('b');
    expect(sink.events[0].context).toBe(sink.events[1].context);
    expect(attrs.big).toBe(10n);
    expect(() => JSON.stringify(sink.events[0])).not.toThrow();
  });

  it('names a lone sink "default" for the policy', () => {
    const sink = new MemorySink();
    const policy = new LogEventPolicy().setFilter('default', '', 'fatal');
    const ctx = new LogContext({ sinks: sink, policy });
    ctx.error('no');
    ctx.fatal('yes');
    expect(sink.events.map((e) => e.message)).toEqual(['yes']);
  });

  it('routes like the policy for random trees (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.constantFrom('a', 'b'),
            fc.constantFrom('', 'x', 'x/y'),
            fc.constantFrom(...LOG_LEVELS),
          ),
          {
            maxLength: 6,
          },
        ),
        fc.constantFrom('', 'x', 'x/y', 'x/y/z', 'q'),
        fc.constantFrom(...LOG_LEVELS),
        (filters, ns, level) => {
          const policy = new LogEventPolicy();
          const sinks = { a: new MemorySink(), b: new MemorySink() };
          const ctx = new LogContext({ sinks, policy, namespace: ns });
          for (const [sink, path, min] of filters) policy.setFilter(sink, path, min);
          ctx[level]('m');
          for (const name of ['a', 'b'] as const) {
            const got = sinks[name].events.length === 1;
            const expected = policy.accepts(
              name,
              sinks[name].events[0] ?? {
                namespace: ns,
                level,
                severity: { trace: 1, debug: 5, info: 9, warn: 13, error: 17, fatal: 21 }[level],
                message: 'm',
                time: 0,
              },
            );
            expect(got).toBe(expected);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('ConsoleSink', () => {
  it('maps levels to console methods and passes the payload as an object', () => {
    const fake = createFakeConsole();
    const ctx = new LogContext({
      namespace: 'app/ui',
      sinks: new ConsoleSink({ console: fake.console }),
    });
    const payload = { a: { b: 1 } };
    ctx.trace('t');
    ctx.info('i', payload);
    ctx.fatal('f');
    expect(fake.calls.map((c) => c.method)).toEqual(['debug', 'info', 'error']);
    expect(fake.calls[1].args.slice(0, 2)).toEqual(['%s', 'INFO [app/ui] i']);
    expect(fake.calls[1].args[2]).toEqual(payload);
    expect(typeof fake.calls[1].args[2]).toBe('object');
  });

  it('writes one JSON line per event in json format', () => {
    const fake = createFakeConsole();
    const ctx = new LogContext({
      sinks: new ConsoleSink({ console: fake.console, format: 'json' }),
    });
    ctx.warn('w', { x: 1 });
    expect(JSON.parse(fake.calls[0].args[1] as string)).toMatchObject({
      level: 'warn',
      message: 'w',
      payload: { x: 1 },
    });
  });

  it('uses the console methods as they were at construction', () => {
    const fake = createFakeConsole();
    const sink = new ConsoleSink({ console: fake.console });
    const patched = vi.fn();
    fake.console.info = patched;
    new LogContext({ sinks: sink }).info('x');
    expect(patched).not.toHaveBeenCalled();
    expect(fake.calls).toHaveLength(1);
  });

  it('rejects an unknown format', () => {
    expect(() => new ConsoleSink({ format: 'xml' as never })).toThrow(LogConfigError);
  });
});
