import { describe, expect, it } from 'vitest';
import { fingersCrossed, LogContext, LogEventPolicy } from '../../src/index.js';
import { MemorySink } from '../fakes/memorySink.js';
import { fakeTransport, rawCount, sentIds, uniqueDb, until, useSinks } from './indexeddbHelpers.js';

const sink = useSinks();

describe('fingersCrossed in front of IndexedDbSink (real IndexedDB)', () => {
  it('writes nothing until the error, then the held context and the error, durably and in order', async () => {
    const database = uniqueDb('fingers');
    const buffer = sink({ database });
    const crossed = fingersCrossed(buffer, { scope: 'namespace', passThroughMs: 0 });
    const live = new MemorySink();
    const policy = new LogEventPolicy()
      .setFilter('live', '', 'info')
      .setFilter('durable', '', 'debug');
    const log = new LogContext({ namespace: 'shop', policy, sinks: { live, durable: crossed } });
    const cart = log.child('cart');
    cart.debug('cart loaded', { items: 3 });
    cart.info('coupon applied');
    log.child('search').debug('search typed'); // another subtree: stays held
    await buffer.flush();
    expect(await rawCount(database)).toBe(0);
    cart.error('checkout failed', { status: 502 });
    await buffer.flush();
    await until(async () => expect(await rawCount(database)).toBe(3));
    const stored = await buffer.export({ format: 'array' });
    expect(stored.map((e) => e.message)).toEqual([
      'cart loaded',
      'coupon applied',
      'checkout failed',
    ]);
    // the held event is the one the live sink saw: same id and time
    expect(stored[1]).toMatchObject({ id: live.events[0]!.id, time: live.events[0]!.time });
    expect(crossed.stats()).toMatchObject({ triggers: 1, released: 2, held: 1 });
  });

  it('the released context drains to the transport with the error, each id once', async () => {
    const database = uniqueDb('fingers-drain');
    const transport = fakeTransport();
    const crossed = fingersCrossed(sink({ database, drainTo: transport }));
    const live = new MemorySink(); // sees every event as it happens
    const log = new LogContext({ namespace: 'app', sinks: { durable: crossed, live } });
    for (let i = 0; i < 50; i++) log.debug(`step ${i}`);
    log.error('failed');
    await until(() => expect(sentIds(transport)).toHaveLength(51));
    expect(sentIds(transport)).toEqual(live.events.map((e) => e.id));
  });
});
