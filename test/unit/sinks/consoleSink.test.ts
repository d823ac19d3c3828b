import { describe, expect, it } from 'vitest';
import {
  ConsoleSink,
  LogConfigError,
  LogContext,
  LOG_SEVERITY,
  type LogEvent,
  type LogLevel,
} from '../../../src/index.js';
import { createFakeConsole } from '../../fakes/fakeConsole.js';

const event = (level: LogLevel, extra: Partial<LogEvent> = {}): LogEvent => ({
  id: 'id',
  namespace: 'app',
  level,
  severity: LOG_SEVERITY[level],
  message: 'm',
  time: 1,
  ...extra,
});

describe('ConsoleSink (direct)', () => {
  it('maps every level to its console method', () => {
    const fake = createFakeConsole();
    const sink = new ConsoleSink({ console: fake.console });
    for (const level of ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const)
      sink.log(event(level));
    expect(fake.calls.map((c) => c.method)).toEqual([
      'debug',
      'debug',
      'info',
      'warn',
      'error',
      'error',
    ]);
    expect(fake.calls[0].args).toEqual(['TRACE [app] m']);
  });

  it('passes payload and context as objects, keeping the context second', () => {
    const fake = createFakeConsole();
    const sink = new ConsoleSink({ console: fake.console });
    const payload = { a: 1 };
    const context = { user: 'u' };
    sink.log(event('info', { namespace: '' }));
    sink.log(event('info', { payload }));
    sink.log(event('info', { context }));
    sink.log(event('info', { payload, context }));
    sink.log(event('info', { payload: null }));
    expect(fake.calls.map((c) => c.args)).toEqual([
      ['INFO m'],
      ['INFO [app] m', payload],
      ['INFO [app] m', {}, context],
      ['INFO [app] m', payload, context],
      ['INFO [app] m', null],
    ]);
    expect(fake.calls[1].args[1]).toBe(payload);
  });

  it('json: one line per event that parses back to the event', () => {
    const fake = createFakeConsole();
    const e = event('error', { payload: { x: [1] }, context: { c: true } });
    new ConsoleSink({ console: fake.console, format: 'json' }).log(e);
    expect(fake.calls.map((c) => c.method)).toEqual(['error']);
    expect(JSON.parse(fake.calls[0].args[0] as string)).toEqual(e);
    expect(fake.calls[0].args).toHaveLength(1);
  });

  it('ignores events after close, also through the registry terminator', async () => {
    const fake = createFakeConsole();
    const sink = new ConsoleSink({ console: fake.console });
    sink.close();
    sink.log(event('info'));
    const [other, terminate] = ConsoleSink.create({ console: fake.console });
    await terminate();
    other.log(event('info'));
    await expect(other.flush()).resolves.toBeUndefined();
    expect(fake.calls).toHaveLength(0);
  });

  it('writes through a LogContext with namespace and payload', () => {
    const fake = createFakeConsole();
    new LogContext({ namespace: 'a/b', sinks: new ConsoleSink({ console: fake.console }) }).warn(
      'w',
      { n: 1 },
    );
    expect(fake.calls.map((c) => [c.method, ...c.args])).toEqual([
      ['warn', 'WARN [a/b] w', { n: 1 }],
    ]);
  });

  it('rejects a bad format or console, saying what to pass', () => {
    expect(() => new ConsoleSink({ format: 'xml' as never })).toThrow(
      /ConsoleSink: `format` must be 'pretty' or 'json'/,
    );
    expect(() => new ConsoleSink({ console: 'stdout' as never })).toThrow(LogConfigError);
    expect(() => new ConsoleSink({ console: 0 as never })).toThrow(LogConfigError);
  });

  it('has one registry identity per format', () => {
    expect(ConsoleSink.buildDescriptor()).toEqual(
      ConsoleSink.buildDescriptor({ format: 'pretty' }),
    );
    expect(ConsoleSink.buildDescriptor({ format: 'json' })).toEqual({
      sinkType: 'console',
      resourceKey: ['console'],
      configKey: ['json'],
    });
  });
});
