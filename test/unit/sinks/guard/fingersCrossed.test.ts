import { describe, expect, it } from 'vitest';
import {
  fingersCrossed,
  LogConfigError,
  LogContext,
  LogEventPolicy,
  type LogDiagnostic,
  type LogEvent,
} from '../../../../src/index.js';
import { createFakeClock } from '../../../fakes/fakeClock.js';
import { MemorySink, ThrowingSink } from '../../../fakes/memorySink.js';
import { makeEvent } from '../helpers.js';

/** A context with a live console-like sink (info+) and a fingers-crossed buffer (debug+). */
function setup(options: Parameters<typeof fingersCrossed>[1] = {}) {
  const clock = createFakeClock();
  const live = new MemorySink();
  const inner = new MemorySink();
  const diagnostics: LogDiagnostic[] = [];
  const buffer = fingersCrossed(inner, {
    onDiagnostic: (d) => diagnostics.push(d),
    ...options,
  });
  // The recipe: the wrapper's filter at the hold level, the console at its own.
  const policy = new LogEventPolicy()
    .setFilter('live', '', 'info')
    .setFilter('buffer', '', 'debug');
  const log = new LogContext({
    namespace: 'shop',
    policy,
    sinks: { live, buffer },
    now: clock.now,
  });
  const messages = () => inner.events.map((e) => e.message);
  return { clock, live, inner, buffer, log, diagnostics, messages };
}

describe('fingersCrossed', () => {
  it('holds records below the trigger and releases them once, in order, before the error', () => {
    const { clock, live, inner, buffer, log, messages } = setup({ passThroughMs: 0 });
    log.debug('d1');
    clock.advance(5);
    log.info('i1');
    log.child('cart').debug('d2');
    expect(inner.events).toEqual([]);
    expect(live.events.map((e) => e.message)).toEqual(['i1']); // the console still sees it live
    clock.advance(5);
    log.error('boom');
    expect(messages()).toEqual(['d1', 'i1', 'd2', 'boom']);
    // the very events the context built: original ids and times
    expect(inner.events[1]).toBe(live.events[0]);
    expect(inner.events[0]!.time).toBe(inner.events[3]!.time - 10);
    log.error('again'); // nothing held any more: released only once
    expect(messages()).toEqual(['d1', 'i1', 'd2', 'boom', 'again']);
    log.debug('d3');
    log.fatal('worse');
    expect(messages()).toEqual(['d1', 'i1', 'd2', 'boom', 'again', 'd3', 'worse']);
    expect(buffer.stats()).toEqual({
      received: 7,
      triggers: 3,
      released: 4,
      passedThrough: 0,
      held: 0,
      heldBytes: 0,
      dropped: { 'evicted-unreleased': 0, 'unreleased-at-close': 0, closed: 0 },
    });
  });

  it('passes records through for passThroughMs after a trigger (by event time), then holds again', () => {
    const { clock, log, messages, buffer } = setup({ passThroughMs: 1000 });
    log.error('boom');
    clock.advance(999);
    log.debug('after');
    clock.advance(1);
    log.debug('held');
    expect(messages()).toEqual(['boom', 'after']);
    expect(buffer.stats()).toMatchObject({ passedThrough: 1, held: 1, triggers: 1 });
  });

  it("scope 'namespace': releases the trigger's namespace, ancestors and descendants only", () => {
    const { log, messages, buffer } = setup({ scope: 'namespace', passThroughMs: 1000 });
    log.debug('shop');
    log.child('cart').debug('cart');
    log.child('cart/item').debug('item');
    log.child('search').debug('search');
    log.child('cartography').debug('cartography'); // a name prefix, not a descendant
    log.child('cart').error('cart failed');
    expect(messages()).toEqual(['shop', 'cart', 'item', 'cart failed']);
    expect(buffer.stats().held).toBe(2);
    // the window covers the trigger's scope only
    log.child('cart/item').debug('cart after');
    log.child('search').debug('search after');
    expect(messages()).toEqual(['shop', 'cart', 'item', 'cart failed', 'cart after']);
    log.child('search').error('search failed');
    expect(messages().slice(5)).toEqual(['search', 'search after', 'search failed']);
    expect(buffer.stats()).toMatchObject({ held: 1, released: 5, passedThrough: 1 });
  });

  it('keeps memory within maxHeldEvents under 1,000,000 debug calls, counting every eviction', () => {
    const { log, buffer, inner, messages } = setup({ maxHeldEvents: 100 });
    for (let i = 0; i < 1_000_000; i++) log.debug('tick');
    const stats = buffer.stats();
    expect(stats.held).toBe(100);
    expect(stats.heldBytes).toBeLessThanOrEqual(262144);
    expect(stats.dropped['evicted-unreleased']).toBe(999_900);
    expect(inner.events).toEqual([]); // evicted records are never forwarded
    log.error('boom');
    expect(messages()).toHaveLength(101);
    expect(buffer.stats().released).toBe(100);
  }, 60_000); // a bound checked over 1,000,000 calls, not a timing: room for a loaded machine

  it('keeps memory within maxHeldBytes under 1,000,000 debug calls with payloads', () => {
    const { log, buffer } = setup({ maxHeldEvents: 10_000, maxHeldBytes: 16_384 });
    let maxBytes = 0;
    for (let i = 0; i < 1_000_000; i++) {
      log.debug('tick', { i, path: '/checkout/cart' });
      if (i % 1000 === 0) maxBytes = Math.max(maxBytes, buffer.stats().heldBytes);
    }
    const stats = buffer.stats();
    expect(maxBytes).toBeLessThanOrEqual(16_384);
    expect(stats.heldBytes).toBeLessThanOrEqual(16_384);
    expect(stats.heldBytes).toBeGreaterThan(16_384 - 300); // the byte bound is what binds
    expect(stats.held).toBeLessThan(10_000);
    expect(stats.held + stats.dropped['evicted-unreleased']).toBe(1_000_000);
  }, 60_000);

  it('counts an event too big for maxHeldBytes as evicted, keeping the others', () => {
    const inner = new MemorySink();
    const buffer = fingersCrossed(inner, { maxHeldBytes: 1000, onDiagnostic: () => {} });
    buffer.log(makeEvent(1, { level: 'debug' }));
    buffer.log(makeEvent(2, { level: 'debug', payload: 'x'.repeat(2000) }));
    expect(buffer.stats()).toMatchObject({ held: 1, dropped: { 'evicted-unreleased': 1 } });
    buffer.log(makeEvent(3, { level: 'error' }));
    expect(inner.events.map((e) => e.id)).toEqual(['ev-1', 'ev-3']);
  });

  it('wraps its slots: after evictions by count and by bytes, a trigger releases the newest, in order', () => {
    const inner = new MemorySink();
    const buffer = fingersCrossed(inner, {
      maxHeldEvents: 3,
      maxHeldBytes: 1000,
      passThroughMs: 0,
      onDiagnostic: () => {},
    });
    const debug = (i: number, payload?: string) =>
      buffer.log(makeEvent(i, { level: 'debug', ...(payload && { payload }) }));
    for (let i = 1; i <= 5; i++) debug(i);
    buffer.release(); // 3, 4, 5: the newest three, oldest first
    for (let i = 6; i <= 7; i++) debug(i); // 6, 7 held (137 estimated bytes each)
    debug(8, 'x'.repeat(700)); // 839 bytes: 6 goes by bytes
    debug(9); // 7 goes by bytes
    expect(buffer.stats()).toMatchObject({ held: 2, heldBytes: 976 });
    buffer.log(makeEvent(10, { level: 'error' }));
    debug(11);
    debug(12);
    buffer.release();
    for (let i = 13; i <= 16; i++) debug(i); // full: 16 takes the slot of 13 (138 bytes each)
    debug(17, 'x'.repeat(200)); // 340 bytes take the slot of 14
    expect(buffer.stats()).toMatchObject({ held: 3, heldBytes: 138 * 2 + 340 });
    buffer.release();
    const ids = inner.events.map((e) => e.id.slice(3));
    expect(ids).toEqual(['3', '4', '5', '8', '9', '10', '11', '12', '15', '16', '17']);
    expect(buffer.stats()).toMatchObject({
      received: 17,
      triggers: 1,
      released: 10,
      held: 0,
      heldBytes: 0,
      dropped: { 'evicted-unreleased': 6 },
    });
  });

  it('reports evictions through diagnostics once per window', () => {
    const inner = new MemorySink();
    const diagnostics: LogDiagnostic[] = [];
    const buffer = fingersCrossed(inner, {
      maxHeldEvents: 2,
      reportIntervalMs: 1000,
      onDiagnostic: (d) => diagnostics.push(d),
    });
    const debugAt = (time: number) => buffer.log(makeEvent(time, { level: 'debug', time }));
    for (let time = 0; time < 2500; time++) debugAt(time);
    expect(diagnostics.map((d) => d.kind)).toEqual([
      'fingers-crossed-evicted',
      'fingers-crossed-evicted',
      'fingers-crossed-evicted',
    ]);
    expect(diagnostics[0]!.message).toMatch(/^1 held events evicted/);
    expect(diagnostics[1]!.message).toMatch(/^1000 held events evicted/);
    expect(buffer.stats().dropped['evicted-unreleased']).toBe(2498);
  });

  it('release() forwards what is held without opening a window', () => {
    const { log, buffer, messages } = setup();
    log.debug('a');
    log.debug('b');
    buffer.release();
    log.debug('c');
    expect(messages()).toEqual(['a', 'b']);
    expect(buffer.stats()).toMatchObject({ released: 2, held: 1 });
  });

  it('close(): held records are counted unreleased-at-close, later ones closed; the inner sink closes', async () => {
    const { log, buffer, inner } = setup();
    log.debug('a');
    log.debug('b');
    await buffer.flush();
    expect(inner.flushed).toBe(1);
    await buffer.close();
    buffer.log(makeEvent(1, { level: 'error' }));
    expect(inner.closed).toBe(1);
    expect(inner.events).toEqual([]);
    expect(buffer.stats()).toMatchObject({
      received: 3,
      held: 0,
      dropped: { 'unreleased-at-close': 2, closed: 1, 'evicted-unreleased': 0 },
    });
    await buffer.close(); // idempotent
    expect(inner.closed).toBe(1);
  });

  it('a throwing wrapped sink does not stop a release or throw into the app', () => {
    const diagnostics: LogDiagnostic[] = [];
    const inner = new ThrowingSink();
    const buffer = fingersCrossed(inner, { onDiagnostic: (d) => diagnostics.push(d) });
    buffer.log(makeEvent(1, { level: 'debug' }));
    buffer.log(makeEvent(2, { level: 'debug' }));
    expect(() => buffer.log(makeEvent(3, { level: 'error' }))).not.toThrow();
    expect(inner.calls).toBe(3);
    expect(diagnostics.map((d) => d.kind)).toEqual(['sink-threw']);
  });

  it('validates its options', () => {
    const sink = new MemorySink();
    const bad: [object, RegExp][] = [
      [{ triggerLevl: 'error' }, /unknown option `triggerLevl` \(did you mean `triggerLevel`\?\)/],
      [{ triggerLevel: 'panic' }, /triggerLevel/],
      [{ scope: 'subtree' }, /scope/],
      [{ maxHeldEvents: 0 }, /maxHeldEvents/],
      [{ maxHeldBytes: 1.5 }, /maxHeldBytes/],
      [{ passThroughMs: -1 }, /passThroughMs/],
      [{ onDiagnostic: 'console' }, /onDiagnostic/],
    ];
    for (const [options, message] of bad) {
      expect(() => fingersCrossed(sink, options as never)).toThrow(LogConfigError);
      expect(() => fingersCrossed(sink, options as never)).toThrow(message);
    }
    expect(() => fingersCrossed(null as never)).toThrow(LogConfigError);
    expect(() => fingersCrossed(sink, null as never)).toThrow(LogConfigError);
    expect(fingersCrossed(sink).sink).toBe(sink);
  });

  it('a trigger level of warn releases on warn; events keep their frozen identity', () => {
    const inner = new MemorySink();
    const buffer = fingersCrossed(inner, { triggerLevel: 'warn', onDiagnostic: () => {} });
    const held: LogEvent = makeEvent(1, { level: 'info' });
    buffer.log(held);
    buffer.log(makeEvent(2, { level: 'warn' }));
    expect(inner.events[0]).toBe(held);
    expect(Object.isFrozen(inner.events[0])).toBe(true);
  });
});
