import { describe, expect, it } from 'vitest';
import { LogContext, LogEventPolicy, LogPayloadProcessor } from '../../../src/index.js';
import { MemorySink } from '../../fakes/memorySink.js';

function setup() {
  const sink = new MemorySink();
  return { sink, log: new LogContext({ sinks: sink }) };
}

describe('a non-string first argument', () => {
  it('an object is the payload, with an empty message (the pino habit)', () => {
    const { sink, log } = setup();
    const payload = { a: 1 };
    log.info(payload);
    expect(sink.events[0]).toMatchObject({ message: '', payload: { a: 1 } });
    expect(sink.events[0].payload).not.toBe(payload); // normalized copy, as always
  });

  it('an Error gives its message as the message and itself as the payload', () => {
    const { sink, log } = setup();
    const error = Object.assign(new TypeError('boom'), { code: 'E42' });
    log.error(error);
    expect(sink.events[0].message).toBe('boom');
    expect(sink.events[0].payload).toMatchObject({
      name: 'TypeError',
      message: 'boom',
      code: 'E42',
      stack: expect.stringContaining('boom'),
    });
  });

  it('a second argument is merged as further payload, also a lazy one', () => {
    const { sink, log } = setup();
    log.info({ a: 1, b: 1 }, { b: 2 });
    log.error(new Error('boom'), () => ({ orderId: 7 }));
    log.info({ a: 1 }, 'not an object');
    expect(sink.events.map((e) => e.payload)).toEqual([
      { a: 1, b: 2 },
      expect.objectContaining({ name: 'Error', message: 'boom', orderId: 7 }),
      [{ a: 1 }, 'not an object'],
    ]);
    expect(sink.events[1].message).toBe('boom');
  });

  it('a primitive stays the message, as its text, and the second argument the payload', () => {
    const { sink, log } = setup();
    log.info(42 as never, { a: 1 });
    log.info(null as never);
    expect(sink.events.map((e) => [e.message, e.payload])).toEqual([
      ['42', { a: 1 }],
      ['null', undefined],
    ]);
  });

  it('filters see the derived message; a rejected call evaluates nothing', () => {
    const sink = new MemorySink();
    const policy = new LogEventPolicy().setFilter('m', '', (meta) => meta.message === 'boom');
    const log = new LogContext({ sinks: { m: sink }, policy });
    let evaluated = false;
    log.error({ quiet: true }, () => (evaluated = true));
    log.error(new Error('boom'));
    expect(evaluated).toBe(false);
    expect(sink.events.map((e) => e.message)).toEqual(['boom']);
  });

  it('a hostile object never throws into the app', () => {
    const { sink, log } = setup();
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
        ownKeys() {
          throw new Error('trap');
        },
      },
    );
    expect(() => log.info(hostile)).not.toThrow();
    expect(() => log.info(hostile, { a: 1 })).not.toThrow();
    expect(sink.events).toHaveLength(2);
  });

  it("an Error's message is data: redacted and bounded like the payload's copy of it", () => {
    const sink = new MemorySink();
    const payloadProcessor = new LogPayloadProcessor({
      redactValues: [/Bearer \S+/g],
      maxStringLength: 100,
    });
    const log = new LogContext({ sinks: sink, payloadProcessor });
    log.error(new Error('refused: Bearer eyJ.secret.sig'));
    log.error(new Error('x'.repeat(5_000_000))); // e.g. a whole response body in the message
    const [redacted, huge] = sink.events;
    expect(redacted!.message).toBe('refused: [REDACTED]');
    expect(huge!.message.length).toBeLessThan(200);
    expect(huge!.message).toMatch(/…\[truncated \d+ chars\]$/);
    expect(huge!.message).toBe((huge!.payload as { message: string }).message);
  });
});
