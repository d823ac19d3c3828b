import { describe, expect, it } from 'vitest';
import { settle } from '../../fakes/timers.js';
import { balance, eventIds, ScriptedSink, setupOnFakePage } from './helpers.js';

/** A sink that asks for a hidden page's events to be dispatched at once (as `IndexedDbSink`). */
class HiddenDispatchSink extends ScriptedSink {
  protected override readonly dispatchesWhenHidden = true;
}

const setup = (
  Sink: typeof ScriptedSink = HiddenDispatchSink,
  options: ConstructorParameters<typeof ScriptedSink>[0] = {},
) => setupOnFakePage(Sink, options);

// A hidden page's timers are throttled (a Firefox background tab ran none in the 80–600 ms before
// it was closed) and the page may be closed at any moment: e2e/indexeddbExact.spec.ts, three tabs.
describe('AsyncLogSink on a hidden page (dispatchesWhenHidden)', () => {
  it('dispatches what a task logged at the end of that task, without a timer', async () => {
    const { sink, page, log, timers } = setup();
    page.hide(); // before the sink starts (on its first log): a tab hidden from the start
    log(0, 3);
    expect(sink.dispatched).toEqual([]); // not inside the task: its events go in one batch
    await Promise.resolve();
    expect(sink.dispatched).toEqual([
      { ids: eventIds(0, 3), reason: 'interval', at: timers.now() },
    ]);
    expect(timers.pending()).toBe(0);
  });

  it('takes all that is queued in one batch, and the next as soon as it settles', async () => {
    let answer = () => {};
    const { sink, page, log, timers } = setup(HiddenDispatchSink, {
      maxBatchEvents: 2,
      script: (_, call) => (call ? undefined : new Promise<void>((r) => (answer = r))),
    });
    page.hide();
    log(0, 5);
    await settle();
    log(5, 3); // while the first batch is in flight
    await settle();
    expect(sink.dispatched.map((d) => d.ids)).toEqual([eventIds(0, 5)]); // one write, whatever the bound
    answer();
    await settle();
    expect(sink.dispatched.map((d) => d.ids)).toEqual([eventIds(0, 5), eventIds(5, 3)]);
    expect(sink.stats()).toMatchObject({ delivered: 8, queuedEvents: 0 });
    expect(balance(sink.stats())).toBe(8);
    expect(timers.pending()).toBe(0);
  });

  it('visible again: back to batching by the flush interval', async () => {
    const { sink, page, log, timers } = setup();
    page.hide();
    page.show();
    log(0, 2);
    await settle();
    expect(sink.dispatched).toEqual([]);
    await timers.advance(2000);
    expect(sink.dispatched.map((d) => d.ids)).toEqual([eventIds(0, 2)]);
  });

  it('a sink that does not ask for it waits for its interval even when hidden', async () => {
    const { sink, page, log, timers } = setup(ScriptedSink);
    page.hide();
    log(0, 2);
    await settle();
    expect(sink.dispatched).toEqual([]);
    await timers.advance(2000);
    expect(sink.dispatched.map((d) => d.ids)).toEqual([eventIds(0, 2)]);
  });

  it('after pagehide the exit path still hands off at the end of the task (no dispatch)', async () => {
    const { sink, page, log } = setup();
    log(0, 1); // started: its exit listeners are attached
    page.hide();
    page.pagehide();
    log(1, 2);
    await settle();
    expect(sink.dispatched).toEqual([]);
    expect(sink.exits.at(-1)).toEqual(eventIds(1, 2));
  });
});
