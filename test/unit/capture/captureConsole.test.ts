import { format } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  captureConsole,
  ConsoleSink,
  LogConfigError,
  LogContext,
  LogPayloadProcessor,
  type CaptureTarget,
} from '../../../src/index.js';
import { ORIGINAL_CONSOLE_METHOD } from '../../../src/core/diagnostics.js';
import { createFakeConsole } from '../../fakes/fakeConsole.js';
import { MemorySink } from '../../fakes/memorySink.js';

class IdentityProcessor extends LogPayloadProcessor {
  override process(value: unknown): unknown {
    return value;
  }
}

function setup() {
  const fake = createFakeConsole();
  const sink = new MemorySink();
  const ctx = new LogContext({
    namespace: 'app/console',
    sinks: { memory: sink },
    payloadProcessor: new IdentityProcessor(),
  });
  return { fake, sink, ctx };
}

describe('captureConsole', () => {
  it('forwards console calls at the mapped level and still prints them', () => {
    const { fake, sink, ctx } = setup();
    const stop = captureConsole(ctx, ['log', 'info', 'warn', 'error', 'debug'], {
      console: fake.console,
    });
    fake.console.log('plain');
    fake.console.warn('careful', { retry: 2 });
    fake.console.error('failed', 1, 2);
    fake.console.debug('dbg');
    stop();
    expect(sink.events.map((e) => [e.level, e.message, e.payload])).toEqual([
      ['info', 'plain', undefined],
      ['warn', 'careful', { retry: 2 }],
      ['error', 'failed', [1, 2]],
      ['debug', 'dbg', undefined],
    ]);
    expect(fake.calls.map((c) => c.method)).toEqual(['log', 'warn', 'error', 'debug']);
    expect(fake.calls[1].args).toEqual(['careful', { retry: 2 }]);
  });

  it('derives a message when the first argument is not a string', () => {
    const { fake, sink, ctx } = setup();
    captureConsole(ctx, ['error', 'log'], { console: fake.console });
    const error = new Error('boom');
    fake.console.error(error);
    fake.console.log({ a: 1 });
    fake.console.log(42, 'x');
    fake.console.log();
    fake.console.log('%s items', 3);
    expect(sink.events.map((e) => [e.message, e.payload])).toEqual([
      ['Error: boom', error],
      ['console.log', { a: 1 }],
      ['42', [42, 'x']],
      ['', []],
      ['%s items', 3],
    ]);
  });

  it('captures only the requested methods (default: warn and error)', () => {
    const { fake, sink, ctx } = setup();
    const originalLog = fake.console.log;
    captureConsole(ctx, undefined, { console: fake.console });
    fake.console.log('not captured');
    fake.console.info('not captured');
    fake.console.warn('w');
    fake.console.error('e');
    expect(sink.events.map((e) => e.level)).toEqual(['warn', 'error']);
    expect(fake.console.log).toBe(originalLog);
  });

  it('marks patched methods with their original so the SDK writes past the patch', () => {
    const { fake, ctx } = setup();
    const original = fake.console.warn;
    captureConsole(ctx, ['warn'], { console: fake.console });
    expect(fake.console.warn).not.toBe(original);
    expect((fake.console.warn as unknown as Record<symbol, unknown>)[ORIGINAL_CONSOLE_METHOD]).toBe(
      original,
    );
  });

  it('does not loop when a ConsoleSink on the same console is a sink of the context', () => {
    const fake = createFakeConsole();
    const memory = new MemorySink();
    const ctx = new LogContext({ sinks: { memory } });
    captureConsole(ctx, ['warn'], { console: fake.console });
    // Created after the patch: it unwraps ORIGINAL_CONSOLE_METHOD and writes to the original.
    const looped = new LogContext({
      sinks: { console: new ConsoleSink({ console: fake.console }), memory },
    });
    looped.warn('from the sdk');
    fake.console.warn('from the app');
    expect(memory.events.map((e) => e.message)).toEqual(['from the sdk', 'from the app']);
    expect(fake.calls.map((c) => format(...c.args))).toEqual(['WARN from the sdk', 'from the app']);
  });

  it('does not recurse when a sink writes to the patched console while forwarding', () => {
    const fake = createFakeConsole();
    const chatty = {
      count: 0,
      log() {
        this.count++;
        fake.console.warn('sink says hi'); // goes through the patched method
      },
    };
    const ctx = new LogContext({ sinks: { chatty } });
    captureConsole(ctx, ['warn'], { console: fake.console });
    fake.console.warn('app');
    expect(chatty.count).toBe(1);
    expect(fake.calls.map((c) => c.args[0])).toEqual(['app', 'sink says hi']);
  });

  it('never throws into the app when logging fails', () => {
    const fake = createFakeConsole();
    const ctx = {
      trace() {},
      debug() {},
      info() {},
      fatal() {},
      error() {},
      warn() {
        throw new Error('broken context');
      },
    } satisfies CaptureTarget;
    captureConsole(ctx, ['warn'], { console: fake.console });
    expect(() => fake.console.warn('x')).not.toThrow();
    expect(fake.calls).toHaveLength(1);
  });

  it('restores the originals, idempotently, and passes through when patched over', () => {
    const { fake, sink, ctx } = setup();
    const originalWarn = fake.console.warn;
    const originalError = fake.console.error;
    const stop = captureConsole(ctx, ['warn', 'error'], { console: fake.console });
    const ours = fake.console.error;
    const theirs = (...args: unknown[]) => ours(...args);
    fake.console.error = theirs; // another library wraps ours
    stop();
    stop();
    expect(fake.console.warn).toBe(originalWarn);
    expect(fake.console.error).toBe(theirs);
    fake.console.error('still printed');
    expect(sink.events).toHaveLength(0);
    expect(fake.calls.map((c) => c.method)).toEqual(['error']);
    expect(originalError).not.toBe(theirs);
  });

  it('rejects bad configuration', () => {
    const { fake, ctx } = setup();
    expect(() => captureConsole(null as never)).toThrow(LogConfigError);
    expect(() => captureConsole(ctx, ['shout' as 'log'], { console: fake.console })).toThrow(
      /methods must be an array of trace, debug, log, info, warn, error/,
    );
  });
});

describe('captureConsole options', () => {
  it('rejects unknown option names and non-object options', () => {
    const ctx = new LogContext({ sinks: new MemorySink() });
    const fake = createFakeConsole();
    expect(() => captureConsole(ctx, ['warn'], { consol: fake.console } as never)).toThrow(
      /captureConsole: unknown option `consol` \(did you mean `console`\?\)/,
    );
    expect(() => captureConsole(ctx, ['warn'], null as never)).toThrow(LogConfigError);
  });
});
