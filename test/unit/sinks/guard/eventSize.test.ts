import { describe, expect, it } from 'vitest';
import { fingersCrossed, LogContext, type LogEvent } from '../../../../src/index.js';
import { createFakeClock } from '../../../fakes/fakeClock.js';
import { MemorySink } from '../../../fakes/memorySink.js';

// fingersCrossed's byte bound counts each event's own context, never a stale size: what a cache of
// the last context's size (the events of one context share its frozen `context`) must keep.

/** The estimated bytes of each event, each measured by a fresh wrapper (nothing remembered). */
const sizesAlone = (events: LogEvent[]) =>
  events.map((event) => {
    const buffer = fingersCrossed(new MemorySink(), { onDiagnostic: () => {} });
    buffer.log(event);
    return buffer.stats().heldBytes;
  });

function logged() {
  const events: LogEvent[] = [];
  const root = new LogContext({ sinks: { keep: { log: (e: LogEvent) => events.push(e) } } });
  return { root, events };
}

describe('fingersCrossed byte estimate', () => {
  it('contexts taking turns: each event counts its own context', () => {
    const { root, events } = logged();
    const short = root.child('a', { user: 'ada' });
    const long = root.child('b', { user: 'x'.repeat(300), tenant: 'acme', admin: true });
    for (let i = 0; i < 6; i++) (i % 3 ? short : long).debug('tick', { i });
    root.debug('no context');
    const buffer = fingersCrossed(new MemorySink(), { onDiagnostic: () => {} });
    for (const event of events) buffer.log(event);
    const alone = sizesAlone(events);
    expect(new Set(alone).size).toBeGreaterThan(2);
    expect(buffer.stats().heldBytes).toBe(alone.reduce((a, b) => a + b));
  });

  it('a context with a nested object is measured on every event (it could change)', () => {
    const { root, events } = logged();
    const child = root.child('a', { user: { name: 'ada' } });
    const buffer = fingersCrossed(new MemorySink(), { onDiagnostic: () => {} });
    child.debug('first');
    buffer.log(events[0]!);
    const first = buffer.stats().heldBytes;
    (child.context!.user as { name: string }).name = 'x'.repeat(500); // the app's own doing
    child.debug('later');
    buffer.log(events[1]!);
    expect(buffer.stats().heldBytes - first).toBeGreaterThanOrEqual(first + 497);
  });

  it("counts a payload by the normalizer's exact UTF-8 JSON bytes, an older one by a walk", () => {
    const { root, events } = logged();
    const payload = { text: 'é'.repeat(100), n: 123456789.125, list: ['"quoted"', null, true] };
    root.debug('first', { big: 'x'.repeat(500) });
    root.debug('second', payload);
    const jsonBytes = new TextEncoder().encode(JSON.stringify(payload)).length;
    // the latest event: no walk, its payload's exact bytes (a walk counts 'é' as 1 and a number as 8)
    const [older, latest] = sizesAlone(events);
    const overhead = 120 + events[1]!.namespace.length; // keys, id, time, level, punctuation
    expect(latest).toBe(overhead + 'second'.length + jsonBytes);
    // an event logged before it is measured by its own payload, not the latest one's count
    expect(older).toBeGreaterThan(overhead + 500);
    expect(older).toBeLessThan(overhead + 600);
  });

  it("keeps the held records' JSON within maxHeldBytes under 1,000,000 debug calls (bound context, trace)", () => {
    const clock = createFakeClock(Date.UTC(2026, 11, 7)); // 13-digit times, as in a page
    const inner = new MemorySink();
    const maxHeldBytes = 32_768;
    const buffer = fingersCrossed(inner, {
      maxHeldEvents: 10_000,
      maxHeldBytes,
      onDiagnostic: () => {},
    });
    const log = new LogContext({
      namespace: 'shop',
      sinks: { buffer },
      now: clock.now,
      context: { user: 'u-42', tenant: 'acme' },
      traceContext: () => ({ traceId: 'a1'.repeat(16), spanId: 'b2'.repeat(8), traceFlags: 1 }),
    });
    const cart = log.child('checkout/cart', { cartId: 'c-7' });
    for (let i = 0; i < 1_000_000; i++) {
      const payload = i % 3 ? { i, path: '/checkout/cart', items: [i, -i / 7] } : undefined;
      (i % 2 ? cart : log).debug(`step ${i % 50}`, payload);
      if (i % 1000 === 0) clock.advance(1);
    }
    const stats = buffer.stats();
    expect(stats.held + stats.dropped['evicted-unreleased']).toBe(1_000_000);
    expect(stats.heldBytes).toBeLessThanOrEqual(maxHeldBytes);
    expect(stats.heldBytes).toBeGreaterThan(maxHeldBytes - 400); // the byte bound is what binds
    buffer.release();
    expect(inner.events).toHaveLength(stats.held);
    expect(inner.events.every((event) => event.traceId && event.context)).toBe(true);
    // what the held records take as JSON (what a durable sink stores) is within what was counted
    const encoder = new TextEncoder();
    const jsonBytes = inner.events.reduce(
      (sum, event) => sum + encoder.encode(JSON.stringify(event)).length,
      0,
    );
    expect(jsonBytes).toBeLessThanOrEqual(stats.heldBytes);
    expect(jsonBytes).toBeGreaterThan(stats.heldBytes * 0.9); // an estimate, not a guess
  }, 60_000); // a bound checked over 1,000,000 calls, not a timing: room for a loaded machine
});
