import { describe, expect, it } from 'vitest';
import { balance, eventIds, makeEvent, ScriptedSink, setupOnFakePage } from './helpers.js';

// The queue's byte bound against one event larger than the whole bound (a 3 MB message, say):
// that event can never fit, so it is the one dropped, not every event queued before it.

describe('AsyncLogSink: an event larger than maxQueueBytes on its own', () => {
  it('is dropped itself (overflow), and the events queued before and after it are delivered', async () => {
    const { sink, timers, log } = setupOnFakePage(ScriptedSink, { maxQueueBytes: 10_000 });
    log(0, 20);
    sink.log(makeEvent(20, { message: 'x'.repeat(50_000) }));
    log(21, 5);
    expect(sink.stats()).toMatchObject({ accepted: 26, queuedEvents: 25 });
    expect(sink.stats().dropped.overflow).toBe(1);
    await timers.advance(2000);
    expect(sink.dispatched.flatMap((batch) => batch.ids)).toEqual([
      ...eventIds(0, 20),
      ...eventIds(21, 5),
    ]);
    expect(balance(sink.stats())).toBe(26);
  });
});
