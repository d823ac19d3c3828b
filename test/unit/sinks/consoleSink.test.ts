import { format } from 'node:util';
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
    expect(fake.calls[0].args).toEqual(['%s', 'TRACE [app] m']);
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
      ['%s', 'INFO m'],
      ['%s', 'INFO [app] m', payload],
      ['%s', 'INFO [app] m', {}, context],
      ['%s', 'INFO [app] m', payload, context],
      ['%s', 'INFO [app] m', null],
    ]);
    expect(fake.calls[1].args[2]).toBe(payload);
  });

  it('json: one line per event that parses back to the event', () => {
    const fake = createFakeConsole();
    const e = event('error', { payload: { x: [1] }, context: { c: true } });
    new ConsoleSink({ console: fake.console, format: 'json' }).log(e);
    expect(fake.calls.map((c) => c.method)).toEqual(['error']);
    expect(fake.calls[0].args[0]).toBe('%s');
    expect(JSON.parse(fake.calls[0].args[1] as string)).toEqual(e);
    expect(fake.calls[0].args).toHaveLength(2);
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
      ['warn', '%s', 'WARN [a/b] w', { n: 1 }],
    ]);
  });

  it('prints messages and namespaces literally: format specifiers in data steer nothing', () => {
    const fake = createFakeConsole();
    const sink = new ConsoleSink({ console: fake.console });
    const json = new ConsoleSink({ console: fake.console, format: 'json' });
    const payload = { secret: 'kept as an object' };
    const e = event('info', { namespace: 'a%c', message: '50%s off %o %d %i %f %O %c', payload });
    sink.log(e);
    json.log(e);
    // Rendered as a console renders its arguments (Node's format follows the same rules): the
    // text comes out as written and the payload stays a separate, inspectable argument.
    const [pretty, line] = fake.calls.map((c) => format(...c.args));
    expect(pretty.startsWith('INFO [a%c] 50%s off %o %d %i %f %O %c ')).toBe(true);
    expect(pretty).toContain('kept as an object');
    expect(fake.calls[0].args.at(-1)).toBe(payload);
    expect(line).toBe(JSON.stringify(e));
  });

  it('rejects options that are not an object, or an unknown option, with a did-you-mean', () => {
    expect(() => new ConsoleSink(null as never)).toThrow(LogConfigError);
    expect(() => new ConsoleSink('json' as never)).toThrow(LogConfigError);
    expect(() => new ConsoleSink({ fromat: 'json' } as never)).toThrow(
      /unknown option `fromat` \(did you mean `format`\?\)/,
    );
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
