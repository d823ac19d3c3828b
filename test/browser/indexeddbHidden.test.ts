import { describe, expect, it } from 'vitest';
import {
  dropDb,
  fakeLifecycle,
  makeEvent,
  rawCount,
  uniqueDb,
  until,
  useSinks,
} from './indexeddbHelpers.js';
import { spillPrefix } from '../../src/sinks/indexeddb/spill.js';

const sink = useSinks();

// Firefox closing three tabs together lost a background tab's events: its timers had not run
// (none in the 80–600 ms before the close), so its events were still queued, and the exit hand-off
// did not always complete. A hidden page's events are now written without waiting for a timer.
describe('IndexedDbSink on a hidden page', () => {
  it('writes events logged while hidden without waiting for the flush interval', async () => {
    const database = uniqueDb('hidden');
    const lc = fakeLifecycle();
    // An interval no test outlives; a batch smaller than what is logged, so the second batch
    // must follow the first without a timer either.
    const s = sink({ database, flushIntervalMs: 60_000, pageLifecycle: lc.lifecycle });
    await s.flush(); // the database is open
    lc.hide();
    for (let i = 0; i < 700; i++) s.log(makeEvent(i));
    await until(() => expect(s.stats()).toMatchObject({ delivered: 700, queuedEvents: 0 }));
    expect(s.stats()).toMatchObject({ handedOff: 0, spilled: 0 }); // written, not by the exit path
    expect(await rawCount(database)).toBe(700);
  });

  it('a visible page still waits for the flush interval (one write per interval)', async () => {
    const database = uniqueDb('visible');
    const lc = fakeLifecycle();
    const s = sink({ database, flushIntervalMs: 60_000, pageLifecycle: lc.lifecycle });
    await s.flush();
    lc.hide();
    s.log(makeEvent(0)); // written at once: hidden
    await until(() => expect(s.stats().delivered).toBe(1));
    lc.show();
    s.log(makeEvent(1)); // visible: waits for the interval, or a flush
    await until(() => expect(s.stats().queuedEvents).toBe(1));
    expect(s.stats().delivered).toBe(1);
    await s.flush();
    expect(await rawCount(database)).toBe(2);
  });

  // A Firefox tab closed over WebDriver BiDi lost a write that had not committed: the close
  // stopped its exit listener, so nothing was spilled (e2e/indexeddbExact.spec.ts, three tabs).
  // (no it.each: the browser-unit runner of Firefox and WebKit reads literal test names)
  async function writeCopiedToSpill(committed: boolean) {
    const database = uniqueDb('hidden-copy');
    const lc = fakeLifecycle();
    const first = sink({ database, pageLifecycle: lc.lifecycle });
    await first.flush();
    lc.hide();
    const spillKeys = () =>
      Object.keys(localStorage).filter((k) => k.includes(`spill:${encodeURIComponent(database)}`));
    let copied: [string, string][] = [];
    for (let i = 0; i < 50; i++) first.log(makeEvent(i));
    // After the end-of-task write started, in the same task: what a close then would leave.
    queueMicrotask(() => (copied = spillKeys().map((k) => [k, localStorage.getItem(k)!])));
    await until(() => expect(first.stats().delivered).toBe(50));
    expect(copied).toHaveLength(1);
    expect(spillKeys()).toEqual([]); // the copy is removed once the write committed
    expect(first.stats().spilled).toBe(0);
    await first.close();
    if (!committed) await dropDb(database); // as if the write never committed
    for (const [key, value] of copied) localStorage.setItem(key, value); // the page died at once
    const next = sink({ database });
    await next.flush();
    expect(next.stats().replayed).toBe(committed ? 0 : 50);
    expect(await rawCount(database)).toBe(50);
    expect(spillKeys()).toEqual([]);
  }

  it('copies its write to the spill at once; the copy of a write that did not commit is replayed by the next page', () =>
    writeCopiedToSpill(false));

  it('copies its write to the spill at once; the copy of a committed write is stored by the next page none twice', () =>
    writeCopiedToSpill(true));

  it('a replayed spill that holds an event twice (write copy and exit spill) stores it once', async () => {
    // With the store's bound at 4, six rows of four events pushed two events out before.
    const database = uniqueDb('replay-repeats');
    const events = [0, 1, 2, 3].map((i) => makeEvent(i));
    const rows = (some: typeof events) =>
      JSON.stringify(some.map((event) => ({ bytes: 10, maybeStored: 1, event })));
    localStorage.setItem(`${spillPrefix(database)}page:1000000001`, rows(events)); // write copy
    localStorage.setItem(`${spillPrefix(database)}page:1000000002`, rows(events.slice(2))); // exit
    const s = sink({ database, maxEvents: 4 });
    const stored = await s.export({ format: 'array' });
    expect(stored.map((event) => event.id)).toEqual(events.map((event) => event.id));
    expect(s.stats().dropped).toMatchObject({ evicted: 0 });
  });
});
