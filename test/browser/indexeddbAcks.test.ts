import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LogEvent } from '../../src/index.js';
import type { LogBatchOutcome } from '../../src/sinks/indexeddb/drainLoop.js';
import { spillPrefix } from '../../src/sinks/indexeddb/spill.js';
import { STARTED_KEEPALIVE } from '../../src/sinks/indexeddb/transport.js';
import {
  fakeLifecycle,
  fakeTransport,
  makeEvent,
  rawCount,
  sentIds,
  uniqueDb,
  until,
  useSinks,
} from './indexeddbHelpers.js';

const sink = useSinks();
const ackKeys = (database: string) =>
  Object.keys(localStorage).filter((k) =>
    k.startsWith(`mvx-logger:acked:${encodeURIComponent(database)}:`),
  );

afterEach(() => {
  vi.restoreAllMocks();
});

describe('IndexedDbSink: acknowledgements survive the page', () => {
  it('a batch acknowledged before its delete committed is deleted, not sent again, by the next drainer', async () => {
    const database = uniqueDb('ack-death');
    let breakStorage = false;
    const t = fakeTransport(() => {
      breakStorage = true; // the page "dies" between the acknowledgement and the delete
      return { ok: true, retry: false };
    });
    const events = Array.from({ length: 30 }, (_, i) => makeEvent(i));
    const first = sink({ database, drainBatchEvents: 10 });
    for (const e of events) first.log(e);
    await first.flush();
    const transaction = IDBDatabase.prototype.transaction;
    vi.spyOn(IDBDatabase.prototype, 'transaction').mockImplementation(function (
      this: IDBDatabase,
      ...args: Parameters<IDBDatabase['transaction']>
    ) {
      if (breakStorage) throw new DOMException('broken', 'UnknownError');
      return transaction.apply(this, args);
    });
    const drainer = sink({ database, drainTo: t, drainBatchEvents: 10 });
    await until(() => expect(sentIds(t)).toHaveLength(10));
    await until(() => expect(drainer.stats().tier).toBe('memory')); // the delete failed
    expect(ackKeys(database)).toHaveLength(1);
    await drainer.close();
    vi.restoreAllMocks();
    expect(await rawCount(database)).toBe(30);
    const next = fakeTransport();
    sink({ database, drainTo: next, drainBatchEvents: 10 });
    await until(() => expect(sentIds(next)).toEqual(events.slice(10).map((e) => e.id)));
    await until(async () => expect(await rawCount(database)).toBe(0));
  });

  /**
   * A page whose second drain upload hangs is closed, its exit listener run or cut short (as a
   * WebDriver BiDi close did in Firefox); then the next page drains. Returns the events after the
   * first (acknowledged) one, the batch in flight at the close, and what the next page sent.
   */
  async function closedWithUploadInFlight(
    database: string,
    {
      exitListenerRuns = false,
      startedKeepalive,
    }: {
      exitListenerRuns?: boolean;
      startedKeepalive?: boolean | ((batch: readonly LogEvent[]) => boolean);
    } = {},
  ) {
    const lc = fakeLifecycle();
    const t = Object.assign(
      fakeTransport((_, call) => (call == 1 ? { ok: true, retry: false } : new Promise(() => {}))),
      startedKeepalive === undefined
        ? {}
        : {
            [STARTED_KEEPALIVE]:
              typeof startedKeepalive == 'function' ? startedKeepalive : () => startedKeepalive,
          },
    );
    const s = sink({ database, drainTo: t, drainBatchEvents: 10, pageLifecycle: lc.lifecycle });
    const events = Array.from({ length: 30 }, (_, i) => makeEvent(i));
    s.log(events[0]);
    await until(() => expect(s.stats().drained).toBe(1));
    for (const e of events.slice(1)) s.log(e);
    await until(() => expect(t.batches).toHaveLength(2)); // the second upload hangs
    lc.pagehide(false, !exitListenerRuns);
    await s.close(); // the page is gone
    const next = fakeTransport();
    sink({ database, drainTo: next, drainBatchEvents: 10 });
    return {
      later: events.slice(1).map((e) => e.id),
      inFlight: t.batches[1].map((e) => e.id),
      next,
    };
  }

  it('a batch in flight at exit while healthy is handed off: the next drainer does not resend it', async () => {
    const { later, inFlight, next } = await closedWithUploadInFlight(uniqueDb('ack-exit'), {
      exitListenerRuns: true,
    });
    await until(() => expect(sentIds(next)).toEqual(later.filter((id) => !inFlight.includes(id))));
  });

  it('an upload in flight is handed off once it started: an exit path cut short by the close does not matter', async () => {
    // Measured in Firefox (three tabs closing together): the close stopped the sink's pagehide
    // listener before it recorded the upload in flight; the request still reached the receiver
    // (a keepalive request outlives the page), and the next drainer sent the batch again.
    const { later, inFlight, next } = await closedWithUploadInFlight(uniqueDb('ack-cut-short'));
    const rest = later.filter((id) => !inFlight.includes(id));
    await until(() => expect(sentIds(next)).toEqual(rest));
  });

  it('an upload whose request did not start with keepalive (gzip, over budget) is not handed off: the next drainer sends it', async () => {
    // An UploadSink says so under STARTED_KEEPALIVE; recording such a batch as handed off
    // would lose it when the page dies (its request dies with it, or never started).
    const { later, next } = await closedWithUploadInFlight(uniqueDb('ack-no-keepalive'), {
      startedKeepalive: false,
    });
    await until(() => expect(sentIds(next)).toEqual(later));
  });

  it('an upload whose keepalive request started after send() returned is recorded at pagehide', async () => {
    // Measured in Firefox (three tabs closing together): the close cut the drain task short after
    // fetch() returned and before the record (no catch or finally ran), then ran the pagehide
    // listeners; the next drainer sent the batch again. Here the transport says a request started
    // only when asked again after send() (as a gzipped body's does): only pagehide can record it.
    const reads = new Map<readonly LogEvent[], number>();
    const { later, inFlight, next } = await closedWithUploadInFlight(uniqueDb('ack-late-start'), {
      startedKeepalive: (batch) => {
        reads.set(batch, (reads.get(batch) ?? 0) + 1);
        return reads.get(batch)! > 1;
      },
    });
    await until(() => expect(sentIds(next)).toEqual(later.filter((id) => !inFlight.includes(id))));
  });

  it('close() of a page that lives on takes its upload in flight back: the next drainer sends it', async () => {
    const database = uniqueDb('ack-close-live');
    const t = fakeTransport(() => new Promise(() => {}));
    const s = sink({ database, drainTo: t, drainBatchEvents: 10 });
    const events = Array.from({ length: 20 }, (_, i) => makeEvent(i));
    for (const e of events) s.log(e);
    await until(() => expect(t.batches).toHaveLength(1)); // hangs
    await s.close(); // no pagehide: the request may still fail, so the buffer keeps its batch
    const next = fakeTransport();
    sink({ database, drainTo: next, drainBatchEvents: 10 });
    await until(() => expect(sentIds(next)).toEqual(events.map((e) => e.id)));
  });

  it('the first upload in flight at exit (no answer seen yet) is handed off; after a failure it is kept', async () => {
    for (const failedBefore of [false, true]) {
      const database = uniqueDb(`ack-first-${failedBefore}`);
      const lc = fakeLifecycle();
      const t = fakeTransport((_, call) =>
        failedBefore && call == 1 ? { ok: false, retry: true } : new Promise(() => {}),
      );
      const s = sink({
        database,
        drainTo: t,
        drainBatchEvents: 10,
        retryBaseMs: 1,
        retryMaxMs: 1,
        pageLifecycle: lc.lifecycle,
      });
      const events = Array.from({ length: 20 }, (_, i) => makeEvent(i));
      for (const e of events) s.log(e);
      await until(() => expect(t.batches).toHaveLength(failedBefore ? 2 : 1)); // hangs
      lc.pagehide();
      await s.close();
      const next = fakeTransport();
      sink({ database, drainTo: next, drainBatchEvents: 10 });
      const expected = failedBefore ? events : events.slice(10); // kept: sent again
      await until(() => expect(sentIds(next)).toEqual(expected.map((e) => e.id)));
    }
  });

  it('a hand-off that fails while the page lives on is taken back and retried here', async () => {
    const database = uniqueDb('ack-exit-back');
    const lc = fakeLifecycle();
    let hold: (outcome: LogBatchOutcome) => void = () => {};
    const t = fakeTransport((_, call) =>
      call == 2 ? new Promise((resolve) => (hold = resolve)) : { ok: true, retry: false },
    );
    const s = sink({
      database,
      drainTo: t,
      drainBatchEvents: 10,
      retryBaseMs: 1,
      retryMaxMs: 1,
      pageLifecycle: lc.lifecycle,
    });
    const events = Array.from({ length: 11 }, (_, i) => makeEvent(i));
    s.log(events[0]);
    await until(() => expect(s.stats().drained).toBe(1));
    for (const e of events.slice(1)) s.log(e);
    await until(() => expect(t.batches).toHaveLength(2));
    lc.hide(); // hidden only: the page lives on
    lc.show();
    hold({ ok: false, retry: true });
    await until(() => expect(s.stats().drained).toBe(11));
    expect(t.batches[2].map((e) => e.id)).toEqual(t.batches[1].map((e) => e.id));
  });

  it('a drained event stored again later (beyond the localStorage record) is deleted unsent', async () => {
    const database = uniqueDb('ack-memory');
    const t = fakeTransport();
    const s = sink({ database, drainTo: t, drainBatchEvents: 100 });
    const events = Array.from({ length: 1500 }, (_, i) => makeEvent(i));
    for (const e of events) s.log(e);
    await until(() => expect(s.stats().drained).toBe(1500));
    // A late copy of the oldest ten (as a closed tab's exit write committing after the replay).
    const late = sink({ database });
    for (const e of events.slice(0, 10)) late.log(e);
    await late.flush();
    s.log(makeEvent(2000)); // wakes the drainer
    await until(() => expect(s.stats().drained).toBe(1501));
    await until(async () => expect(await rawCount(database)).toBe(0));
    expect(sentIds(t)).toHaveLength(1501);
  });

  it('the spill replay skips events recorded as acknowledged', async () => {
    const database = uniqueDb('ack-spill');
    const [drained, kept] = [makeEvent(1), makeEvent(2)];
    localStorage.setItem(
      `${spillPrefix(database)}page:1000000000`,
      JSON.stringify([drained, kept].map((event) => ({ bytes: 10, maybeStored: 1, event }))),
    );
    localStorage.setItem(
      `mvx-logger:acked:${encodeURIComponent(database)}:page`,
      JSON.stringify([drained.id]),
    );
    const s = sink({ database });
    expect((await s.export({ format: 'array' })).map((e) => e.id)).toEqual([kept.id]);
  });

  it('the record is bounded and per page; the next lock holder takes the others over', async () => {
    const database = uniqueDb('ack-bound');
    const t = fakeTransport();
    const s = sink({ database, drainTo: t, drainBatchEvents: 100 });
    for (let i = 0; i < 1500; i++) s.log(makeEvent(i));
    await until(() => expect(s.stats().drained).toBe(1500));
    const [key] = ackKeys(database);
    const recorded = JSON.parse(localStorage.getItem(key)!) as string[];
    expect(recorded).toHaveLength(1000);
    expect(recorded.at(-1)).toBe(sentIds(t).at(-1));
    await s.close();
    localStorage.setItem(`mvx-logger:acked:${encodeURIComponent(database)}:gone`, '["x"]');
    const next = sink({ database, drainTo: fakeTransport() });
    next.log(makeEvent(2000));
    await until(() => expect(next.stats().drained).toBe(1));
    // One key left: the new holder's, with the old page's ids and the dead one's taken over.
    const keys = ackKeys(database);
    expect(keys).toHaveLength(1);
    const merged = JSON.parse(localStorage.getItem(keys[0])!) as string[];
    expect(merged.length).toBeLessThanOrEqual(1000);
    expect(merged).toContain(recorded.at(-1));
    expect(merged).toContain(sentIds(t).at(-1));
  });

  it('after pagehide the drainer starts no upload until the page is shown again', async () => {
    // Measured in Chromium: a closing tab's upload started after its pagehide reached the
    // receiver, the tab died before the answer, and the next drainer sent the batch again.
    const database = uniqueDb('ack-hold');
    const lc = fakeLifecycle();
    const t = fakeTransport();
    const s = sink({ database, drainTo: t, drainPollMs: 20, pageLifecycle: lc.lifecycle });
    await until(() => expect(s.stats().drainer).toBe(true));
    lc.pagehide();
    const other = sink({ database }); // another tab stores events; this page's drainer polls
    const events = Array.from({ length: 5 }, (_, i) => makeEvent(i));
    for (const e of events) other.log(e);
    await other.flush();
    // This page's drainer has read them (its totals come from its own reads): none sent.
    await until(() => expect(s.stats().storedEvents).toBe(5));
    expect(t.batches).toEqual([]);
    lc.pageshow(false);
    await until(() => expect(sentIds(t)).toEqual(events.map((e) => e.id)));
  });
});
