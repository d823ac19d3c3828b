import { afterEach, describe, expect, it, vi } from 'vitest';
import { LogContext, type LogSink } from '../../../src/index.js';
import { MemorySink } from '../../fakes/memorySink.js';

/** A sink whose flush resolves only when the test says so. */
function createPendingSink() {
  let finish: (delivered?: boolean) => void = () => {};
  const sink: LogSink & { flushes: number } = {
    flushes: 0,
    log() {},
    flush() {
      sink.flushes++;
      return new Promise<boolean | void>((resolve) => (finish = resolve));
    },
  };
  return { sink, finish: (delivered?: boolean) => finish(delivered) };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('close()', () => {
  it('on a child makes that child and its children no-ops, and closes nothing shared', async () => {
    const sink = new MemorySink();
    const root = new LogContext({ sinks: sink });
    const child = root.child('a');
    const grandchild = child.child('b');
    const sibling = root.child('c');
    await child.close();
    child.info('dropped');
    grandchild.info('dropped');
    child.child('later').info('dropped: made after close');
    sibling.info('kept');
    root.info('kept');
    expect(sink.events.map((e) => e.namespace)).toEqual(['c', '']);
    expect(child.isEnabled('info')).toBe(false);
    expect(sink.flushed).toBe(0);
    expect(sink.closed).toBe(0);
    await child.close(); // idempotent
    expect(sink.closed).toBe(0);
  });

  it('a closed child stays closed when the policy changes', async () => {
    const { LogEventPolicy } = await import('../../../src/index.js');
    const policy = new LogEventPolicy();
    const sink = new MemorySink();
    const root = new LogContext({ sinks: { memory: sink }, policy });
    const child = root.child('a');
    await child.close();
    policy.setFilter('memory', '', 'trace');
    child.info('dropped');
    root.info('kept');
    expect(sink.events.map((e) => e.message)).toEqual(['kept']);
  });

  it('on the root stops every context, flushes and closes the sinks', async () => {
    const sink = new MemorySink();
    const root = new LogContext({ sinks: sink });
    const child = root.child('a');
    await root.close();
    child.info('dropped');
    expect(sink.events).toHaveLength(0);
    expect([sink.flushed, sink.closed]).toEqual([1, 1]);
  });
});

describe('flush(timeoutMs)', () => {
  it('resolves true when every sink delivered', async () => {
    const ctx = new LogContext({ sinks: { a: new MemorySink(), b: new MemorySink() } });
    await expect(ctx.flush()).resolves.toBe(true);
    await expect(ctx.flush(1000)).resolves.toBe(true);
  });

  it('resolves false when the timeout passes first, and never rejects', async () => {
    vi.useFakeTimers();
    const pending = createPendingSink();
    const ctx = new LogContext({ sinks: pending.sink });
    let result: boolean | undefined;
    void ctx.flush(500).then((delivered) => (result = delivered));
    await vi.advanceTimersByTimeAsync(499);
    expect(result).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(result).toBe(false);
    pending.finish();
  });

  it('waits without a timeout as long as the sinks take', async () => {
    vi.useFakeTimers();
    const pending = createPendingSink();
    const ctx = new LogContext({ sinks: pending.sink });
    let result: boolean | undefined;
    void ctx.flush().then((delivered) => (result = delivered));
    void ctx.flush(Infinity).then((delivered) => (result ??= delivered));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(result).toBeUndefined();
    pending.finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(result).toBe(true);
  });

  it('resolves false when a sink says it did not deliver or its flush fails', async () => {
    const pending = createPendingSink();
    const failing: LogSink = { log() {}, flush: () => Promise.reject(new Error('down')) };
    const onDiagnostic = vi.fn();
    const undelivered = new LogContext({ sinks: pending.sink });
    const flushed = undelivered.flush();
    pending.finish(false);
    await expect(flushed).resolves.toBe(false);
    const broken = new LogContext({ sinks: { failing, ok: new MemorySink() }, onDiagnostic });
    await expect(broken.flush(1000)).resolves.toBe(false);
    expect(onDiagnostic).toHaveBeenCalledWith(
      expect.objectContaining({ kind: 'sink-flush-failed:failing' }),
    );
  });
});
