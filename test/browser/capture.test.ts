import { describe, expect, it, vi } from 'vitest';
import {
  captureConsole,
  captureErrors,
  ConsoleSink,
  LogContext,
  LogPayloadProcessor,
} from '../../src/index.js';
import { MemorySink } from '../fakes/memorySink.js';

class IdentityProcessor extends LogPayloadProcessor {
  override process(value: unknown): unknown {
    return value;
  }
}

describe('capture in Chromium', () => {
  it('captures a real uncaught error and a real unhandled rejection, with the cause', async () => {
    const sink = new MemorySink();
    const ctx = new LogContext({ sinks: sink, payloadProcessor: new IdentityProcessor() });
    const stop = captureErrors(ctx);
    try {
      const error = new Error('outer', { cause: new Error('inner') });
      setTimeout(() => {
        throw error; // a genuinely uncaught error, dispatched by the browser on window
      });
      void Promise.reject(new TypeError('nope'));
      await vi.waitFor(() => expect(sink.events).toHaveLength(2));
      expect(sink.events.map((e) => e.message).sort()).toEqual([
        'Error: outer',
        'Unhandled rejection: TypeError: nope',
      ]);
      const logged = sink.events.find((e) => e.message === 'Error: outer')!;
      expect(logged.payload).toBe(error);
      expect(((logged.payload as Error).cause as Error).message).toBe('inner');
    } finally {
      stop();
    }
    // After uninstalling, a dispatched error reaches only the test's own listener.
    const swallow = (e: Event) => e.preventDefault();
    window.addEventListener('error', swallow);
    window.dispatchEvent(new ErrorEvent('error', { error: new Error('after'), cancelable: true }));
    window.removeEventListener('error', swallow);
    expect(sink.events).toHaveLength(2);
  });

  it('forwards the real console without looping through a ConsoleSink', () => {
    const memory = new MemorySink();
    const printed: unknown[][] = [];
    const realWarn = console.warn;
    // Stand-in for devtools, installed before capture, so the capture wraps it like the real one.
    console.warn = (...args: unknown[]) => {
      printed.push(args);
    };
    try {
      const stop = captureConsole(
        new LogContext({ sinks: { console: new ConsoleSink(), memory } }),
        ['warn'],
      );
      console.warn('app warning', { code: 7 });
      stop();
      expect(memory.events.map((e) => [e.message, e.payload])).toEqual([
        ['app warning', { code: 7 }],
      ]);
      // Once from the app, once from the ConsoleSink (written to the original, not re-captured).
      expect(printed.map((args) => args.slice(0, 2))).toEqual([
        ['app warning', { code: 7 }],
        ['%s', 'WARN app warning'],
      ]);
    } finally {
      console.warn = realWarn;
    }
  });
});
