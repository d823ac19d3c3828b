import { describe, expect, it } from 'vitest';
import {
  LogConfigError,
  LogContext,
  stormGuard,
  type LogDiagnostic,
  type LogEvent,
} from '../../../../src/index.js';
import { createFakeClock } from '../../../fakes/fakeClock.js';
import { MemorySink } from '../../../fakes/memorySink.js';
import { makeEvent } from '../helpers.js';
import { setupUpload } from '../upload/setup.js';

const at = (time: number, extra: Partial<LogEvent> = {}) =>
  makeEvent(time, { level: 'error', message: 'same', time, ...extra });

function guarded(options: Parameters<typeof stormGuard>[1] = {}) {
  const inner = new MemorySink();
  const diagnostics: LogDiagnostic[] = [];
  const guard = stormGuard(inner, { onDiagnostic: (d) => diagnostics.push(d), ...options });
  return { inner, guard, diagnostics };
}

describe('stormGuard', () => {
  it('100,000 identical errors in 1 s reach the wrapped sink at most at the configured rate, the rest counted', async () => {
    const upload = setupUpload({ stormProtection: false }); // only the wrapper limits here
    const clock = createFakeClock();
    const diagnostics: LogDiagnostic[] = [];
    const guard = stormGuard(upload.sink, {
      rateLimit: 600,
      rateBurst: 100,
      onDiagnostic: (d) => diagnostics.push(d),
    });
    const log = new LogContext({ namespace: 'game', sinks: { upload: guard }, now: clock.now });
    for (let i = 0; i < 100_000; i++) {
      if (i % 100 === 0) clock.advance(1); // 100,000 events over 1,000 ms
      log.error('frame failed', { frame: i });
    }
    // burst 100, then 600 per minute = 10 in the second
    const allowed = 100 + 10;
    const stats = guard.stats();
    expect(stats.forwarded).toBeLessThanOrEqual(allowed);
    expect(stats.forwarded).toBeGreaterThanOrEqual(allowed - 1);
    expect(stats.forwarded + stats.suppressed['rate-limited']).toBe(100_000);
    expect(upload.sink.stats().accepted).toBe(stats.forwarded);
    expect(diagnostics.map((d) => d.kind)).toEqual(['rate-limited']);
    await upload.flushAll();
    const sent = upload.fetch.calls.flatMap((c) => JSON.parse(c.text).events);
    expect(sent).toHaveLength(stats.forwarded);
  });

  it('defaults: 3,000 per level per minute with a burst of 3,000, no duplicate suppression', () => {
    const inner = new MemorySink();
    const guard = stormGuard(inner, { onDiagnostic: () => {} });
    for (let i = 0; i < 100_000; i++) guard.log(at(Math.floor(i / 100)));
    expect(inner.events.length).toBeLessThanOrEqual(3000 + 50);
    expect(inner.events.length).toBeGreaterThanOrEqual(3000 + 49);
    expect(guard.stats().suppressed['duplicate-suppressed']).toBe(0);
  });

  it('the same storm with duplicate suppression sends one event, and the next carries repeated', () => {
    const { inner, guard } = guarded({ suppressDuplicates: true });
    for (let i = 0; i < 100_000; i++) guard.log(at(Math.floor(i / 100)));
    expect(inner.events).toHaveLength(1);
    expect(guard.stats().suppressed).toEqual({
      'rate-limited': 0,
      'duplicate-suppressed': 99_999,
    });
    guard.log(at(1000, { message: 'different', context: { user: 'u' } }));
    const next = inner.events[1]!;
    expect(next.context).toEqual({ user: 'u', repeated: 99_999 });
    expect(next.id).toBe('ev-1000');
    expect(Object.isFrozen(next) && Object.isFrozen(next.context)).toBe(true);
  });

  it('forwards an identical event again after duplicateWindowMs, with the count of copies suppressed', () => {
    const { inner, guard } = guarded({ suppressDuplicates: true, duplicateWindowMs: 1000 });
    for (let time = 0; time < 2500; time += 10) guard.log(at(time));
    expect(inner.events.map((e) => [e.time, e.context?.repeated])).toEqual([
      [0, undefined],
      [1000, 99],
      [2000, 99],
    ]);
  });

  it('suppresses only consecutive identical events of one namespace and level', () => {
    const { inner, guard } = guarded({ suppressDuplicates: true });
    guard.log(at(1));
    guard.log(at(2, { namespace: 'other' }));
    guard.log(at(3, { level: 'warn' }));
    guard.log(at(4)); // the previous one of its namespace was the warning
    guard.log(at(5));
    guard.log(at(6, { message: 'new' }));
    expect(inner.events.map((e) => e.time)).toEqual([1, 2, 3, 4, 6]);
    expect(inner.events[4]!.context).toEqual({ repeated: 1 });
  });

  it('rate-limits each level with its own bucket, refilling at the configured rate', () => {
    const { inner, guard } = guarded({
      rateLimit: 60,
      rateIntervalMs: 60_000,
      rateBurst: 5,
      suppressDuplicates: false,
    });
    for (let i = 0; i < 10; i++) guard.log(at(0));
    for (let i = 0; i < 10; i++) guard.log(at(0, { level: 'warn' }));
    expect(inner.events).toHaveLength(10); // 5 errors and 5 warnings
    guard.log(at(999));
    guard.log(at(1000));
    guard.log(at(1001));
    expect(inner.events.map((e) => e.time).slice(10)).toEqual([1000]); // one token per second
    expect(guard.stats()).toEqual({
      received: 23,
      forwarded: 11,
      suppressed: { 'rate-limited': 12, 'duplicate-suppressed': 0 },
      closed: 0,
    });
  });

  it('rateLimit false and suppressDuplicates false forward everything', () => {
    const { inner, guard } = guarded({ rateLimit: false, suppressDuplicates: false });
    for (let i = 0; i < 10_000; i++) guard.log(at(0));
    expect(inner.events).toHaveLength(10_000);
  });

  it('reports each reason once per window with the count since the last report', () => {
    const { guard, diagnostics } = guarded({
      rateLimit: 1,
      rateBurst: 1,
      suppressDuplicates: true,
      reportIntervalMs: 1000,
    });
    for (let time = 0; time < 2000; time++) {
      guard.log(at(time, { message: `m${time}` }));
      guard.log(at(time, { message: `m${time}` }));
    }
    // t=0: m0 passes, its copy is a duplicate; from t=1 on the bucket is empty, and a copy of an
    // event that was not forwarded is not a duplicate: both copies are rate-limited
    expect(diagnostics.map((d) => [d.kind, d.message.split(' ')[0]])).toEqual([
      ['duplicate-suppressed', '1'],
      ['rate-limited', '1'],
      ['rate-limited', '2000'],
    ]);
    expect(guard.stats().suppressed).toEqual({
      'rate-limited': 3998,
      'duplicate-suppressed': 1,
    });
  });

  it('close(): closes the wrapped sink once; later events are counted closed', async () => {
    const { inner, guard } = guarded();
    await guard.flush();
    await guard.close();
    await guard.close();
    guard.log(at(1));
    expect(inner.flushed).toBe(1);
    expect(inner.closed).toBe(1);
    expect(guard.stats()).toMatchObject({ received: 1, forwarded: 0, closed: 1 });
  });

  it('validates its options', () => {
    const sink = new MemorySink();
    const bad: [object, RegExp][] = [
      [{ rateLimt: 10 }, /unknown option `rateLimt` \(did you mean `rateLimit`\?\)/],
      [{ rateLimit: 0 }, /rateLimit/],
      [{ rateLimit: true }, /rateLimit/],
      [{ rateBurst: -1 }, /rateBurst/],
      [{ rateIntervalMs: 0 }, /rateIntervalMs/],
      [{ suppressDuplicates: 'yes' }, /suppressDuplicates/],
      [{ duplicateWindowMs: 0.5 }, /duplicateWindowMs/],
    ];
    for (const [options, message] of bad) {
      expect(() => stormGuard(sink, options as never)).toThrow(LogConfigError);
      expect(() => stormGuard(sink, options as never)).toThrow(message);
    }
    expect(() => stormGuard({} as never)).toThrow(LogConfigError);
    expect(stormGuard(sink).sink).toBe(sink);
  });
});
