import { describe, expect, it } from 'vitest';
import {
  captureErrors,
  LogConfigError,
  LogContext,
  LogPayloadProcessor,
  type CaptureTarget,
} from '../../../src/index.js';
import { createFakeClock } from '../../fakes/fakeClock.js';
import { createFakeEventTarget } from '../../fakes/fakeEventTarget.js';
import { MemorySink } from '../../fakes/memorySink.js';

/** Passes payloads through untouched, so a test can see exactly what capture handed over. */
class IdentityProcessor extends LogPayloadProcessor {
  override process(value: unknown): unknown {
    return value;
  }
}

function setup(options: Parameters<typeof captureErrors>[1] = {}) {
  const sink = new MemorySink();
  const clock = createFakeClock();
  const target = createFakeEventTarget();
  const ctx = new LogContext({
    namespace: 'app/errors',
    sinks: sink,
    payloadProcessor: new IdentityProcessor(),
  });
  const stop = captureErrors(ctx, { target, now: clock.now, ...options });
  return { sink, clock, target, ctx, stop };
}

describe('captureErrors', () => {
  it('logs an uncaught error with the Error (and its cause) as the payload', () => {
    const { sink, target } = setup();
    const cause = new Error('disk full');
    const error = new TypeError('save failed', { cause });
    target.dispatch('error', { error, message: 'Uncaught TypeError: save failed' });
    expect(sink.events).toHaveLength(1);
    const [event] = sink.events;
    expect(event).toMatchObject({ level: 'error', message: 'TypeError: save failed' });
    expect(event.payload).toBe(error);
    expect((event.payload as Error).cause).toBe(cause);
  });

  it('hands the Error to the default payload processor, which keeps the cause chain', () => {
    const sink = new MemorySink();
    const target = createFakeEventTarget();
    captureErrors(new LogContext({ sinks: sink }), { target });
    const error = new Error('save failed', { cause: new RangeError('quota') });
    target.dispatch('error', { error });
    expect(sink.events[0].payload).toMatchObject({
      name: 'Error',
      message: 'save failed',
      cause: { name: 'RangeError', message: 'quota' },
    });
    expect(JSON.parse(JSON.stringify(sink.events[0].payload))).toEqual(sink.events[0].payload);
  });

  it('logs unhandled rejections, also with non-Error reasons', () => {
    const { sink, target } = setup({ level: 'fatal' });
    target.dispatch('unhandledrejection', { reason: new RangeError('bad') });
    target.dispatch('unhandledrejection', { reason: 'plain string' });
    expect(sink.events.map((e) => [e.level, e.message])).toEqual([
      ['fatal', 'Unhandled rejection: RangeError: bad'],
      ['fatal', 'Unhandled rejection: plain string'],
    ]);
    expect(sink.events[1].payload).toEqual({ error: 'plain string' });
  });

  it('a zero window logs every occurrence; maxTracked bounds the table', () => {
    const { sink, target } = setup({ dedupeWindowMs: 0, maxTracked: 1 });
    const error = new Error('again');
    target.dispatch('error', { error });
    target.dispatch('error', { error });
    target.dispatch('unhandledrejection', { reason: undefined });
    expect(sink.events.map((e) => [e.message, e.payload])).toEqual([
      ['Error: again', error],
      ['Error: again', error],
      ['Unhandled rejection: undefined', { error: undefined }],
    ]);
  });

  it('keeps where a cross-origin "Script error." came from', () => {
    const { sink, target } = setup();
    target.dispatch('error', {
      error: null,
      message: 'Script error.',
      filename: 'https://cdn.example/x.js',
      lineno: 0,
      colno: 0,
    });
    expect(sink.events[0].message).toBe('Script error.');
    expect(sink.events[0].payload).toEqual({
      error: null,
      filename: 'https://cdn.example/x.js',
      lineno: 0,
      colno: 0,
    });
  });

  it('logs a storm of identical errors once per window and counts the rest', () => {
    const { sink, target, clock } = setup({ dedupeWindowMs: 1000 });
    const error = new Error('loop');
    for (let i = 0; i < 500; i++) target.dispatch('error', { error });
    expect(sink.events).toHaveLength(1);
    clock.advance(1000);
    target.dispatch('error', { error });
    expect(sink.events.map((e) => e.message)).toEqual([
      'Error: loop',
      'Error: loop (repeated 499 more times)',
      'Error: loop',
    ]);
    expect(sink.events[1].payload).toEqual({ suppressed: 499 });
  });

  it('does not merge different errors', () => {
    const { sink, target } = setup();
    target.dispatch('error', { error: new Error('a') });
    target.dispatch('error', { error: new Error('b') });
    target.dispatch('unhandledrejection', { reason: new Error('a') });
    expect(sink.events).toHaveLength(3);
  });

  it('bounds the errors it tracks and reports the forgotten one’s count', () => {
    const { sink, target } = setup({ maxTracked: 2 });
    const first = new Error('first');
    target.dispatch('error', { error: first });
    target.dispatch('error', { error: first }); // suppressed
    target.dispatch('error', { error: new Error('second') });
    target.dispatch('error', { error: new Error('third') }); // evicts "first"
    expect(sink.events.map((e) => e.message)).toEqual([
      'Error: first',
      'Error: second',
      'Error: first (repeated 1 more times)',
      'Error: third',
    ]);
  });

  it('uninstalls: removes listeners, logs pending counts, and is idempotent', () => {
    const { sink, target, stop } = setup();
    const error = new Error('x');
    target.dispatch('error', { error });
    target.dispatch('error', { error });
    stop();
    stop();
    expect(target.count('error')).toBe(0);
    expect(target.count('unhandledrejection')).toBe(0);
    target.dispatch('error', { error: new Error('after') });
    expect(sink.events.map((e) => e.message)).toEqual([
      'Error: x',
      'Error: x (repeated 1 more times)',
    ]);
  });

  it('never throws into the dispatch, even when a thrown value is hostile', () => {
    const { target } = setup();
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
        has() {
          throw new Error('trap');
        },
      },
    );
    expect(() => target.dispatch('unhandledrejection', { reason: hostile })).not.toThrow();
    expect(() => target.dispatch('error', { error: hostile })).not.toThrow();
  });

  it('does not recurse when logging raises another error event', () => {
    const target = createFakeEventTarget();
    let calls = 0;
    const ctx = {
      trace() {},
      debug() {},
      info() {},
      warn() {},
      fatal() {},
      error() {
        calls++;
        target.dispatch('error', { error: new Error(`nested ${calls}`) });
      },
    } satisfies CaptureTarget;
    captureErrors(ctx, { target });
    target.dispatch('error', { error: new Error('outer') });
    expect(calls).toBe(1);
  });

  it('is a no-op where there is no global event target (Node)', () => {
    const ctx = new LogContext({ sinks: new MemorySink() });
    expect(typeof (globalThis as { addEventListener?: unknown }).addEventListener).toBe(
      'undefined',
    );
    const stop = captureErrors(ctx);
    expect(() => stop()).not.toThrow();
  });

  it('rejects bad configuration at install time', () => {
    const ctx = new LogContext({ sinks: new MemorySink() });
    const target = createFakeEventTarget();
    expect(() => captureErrors({} as CaptureTarget)).toThrow(LogConfigError);
    expect(() => captureErrors(ctx, { target, level: 'warn' as 'error' })).toThrow(
      /level must be 'error' or 'fatal'/,
    );
    expect(() => captureErrors(ctx, { target, maxTracked: 0 })).toThrow(LogConfigError);
    expect(() => captureErrors(ctx, { target: {} as never })).toThrow(/addEventListener/);
    expect(() => captureErrors(ctx, { target, dedupeWindowMs: -1 })).toThrow(/dedupeWindowMs/);
    expect(() => captureErrors(ctx, { target, dedupeWindowMs: NaN })).toThrow(/dedupeWindowMs/);
    expect(() => captureErrors(ctx, { target, now: 5 as never })).toThrow(/now a function/);
    expect(target.count('error')).toBe(0);
  });
});

describe('captureErrors options', () => {
  it('rejects unknown option names and non-object options', () => {
    const ctx = new LogContext({ sinks: new MemorySink() });
    const target = createFakeEventTarget();
    expect(() => captureErrors(ctx, { target, dedupeWindow: 10 } as never)).toThrow(
      /captureErrors: unknown option `dedupeWindow` \(did you mean `dedupeWindowMs`\?\)/,
    );
    expect(() => captureErrors(ctx, null as never)).toThrow(LogConfigError);
    expect(() => captureErrors(ctx, 'error' as never)).toThrow(LogConfigError);
  });
});
