import { describe, expect, it } from 'vitest';
import { idsOf } from '../../../fakes/fetch.js';
import { settle } from '../../../fakes/timers.js';
import { makeEvent } from '../helpers.js';
import { setupUpload } from './setup.js';

const ids = (from: number, n: number) => Array.from({ length: n }, (_, i) => `ev-${from + i}`);

describe('UploadSink exit path', () => {
  it.each([
    ['json', 'text/plain'],
    ['otlp', 'application/json'],
  ] as const)(
    '%s: beacons what is queued as %s, checks the result, counts hand-offs',
    async (encoding, type) => {
      const { sink, beacon, fetch, page, log } = setupUpload({ encoding });
      log(10);
      page.hide();
      expect(beacon.calls).toHaveLength(1);
      expect(beacon.calls[0]).toMatchObject({ type, accepted: true });
      expect(idsOf((await beacon.texts())[0])).toEqual(ids(0, 10));
      expect(sink.stats()).toMatchObject({ handedOff: 10, queuedEvents: 0, exitLeft: 0 });
      expect(fetch.calls).toEqual([]);
    },
  );

  it('1 MiB pending: chunks fit the budget, the rest stays queued and counted, then goes later', async () => {
    const { sink, beacon, fetch, page } = setupUpload({
      maxQueueBytes: 4 * 1024 * 1024,
      maxQueueEvents: 100_000,
      maxBatchEvents: 100_000,
      maxBatchBytes: 32 * 1024,
      flushIntervalMs: 60_000,
    });
    const payload = { text: 'p'.repeat(900) };
    for (let i = 0; i < 1100; i++) sink.log(makeEvent(i, { payload })); // ~1 MiB
    // no fake time passes, so the normal path has not dispatched anything yet
    page.pagehide();
    page.hide(); // Chromium fires visibilitychange after pagehide on close
    const sent = beacon.calls.filter((c) => c.accepted);
    const total = sent.reduce((a, c) => a + c.bytes, 0);
    expect(beacon.calls.every((c) => c.accepted)).toBe(true); // never asked beyond the budget
    expect(total).toBeLessThanOrEqual(60 * 1024);
    expect(sent.every((c) => c.bytes <= 32 * 1024)).toBe(true);
    const handed = (await beacon.texts()).flatMap(idsOf);
    const s = sink.stats();
    expect(handed).toEqual(ids(0, handed.length));
    expect(s.handedOff).toBe(handed.length);
    expect(s.exitLeft).toBe(1100 - handed.length);
    expect(s.queuedEvents).toBe(1100 - handed.length);
    expect(handed.length).toBeGreaterThan(50);
    // visible again: normal flushing sends the rest
    page.show();
    await sink.flush();
    expect(fetch.ids()).toEqual(ids(handed.length, 1100 - handed.length));
  });

  it('a refused beacon falls back to keepalive fetch; a failed fallback is re-queued', async () => {
    let fail = true;
    const { sink, beacon, fetch, page, log, timers, diag, flushAll } = setupUpload({
      respond: () => (fail ? new TypeError('Failed to fetch') : { status: 200 }),
    });
    log(4);
    // fill the fake browser budget with someone else's beacon: ours will be refused
    beacon.sendBeacon('https://other.example', 'x'.repeat(64 * 1024));
    page.hide();
    expect(beacon.calls.map((c) => c.accepted)).toEqual([true, false]);
    expect(fetch.calls).toHaveLength(1);
    expect(fetch.calls[0]).toMatchObject({
      keepalive: true,
      headers: { 'Content-Type': 'text/plain' },
    });
    expect(sink.stats().handedOff).toBe(4);
    expect(diag.kinds()).toContain('beacon-refused');
    await settle(); // the keepalive fetch fails (over budget in a real browser)
    // Held 1 s first: a closing page's request may only be cut off from it, not lost.
    expect(sink.stats()).toMatchObject({ handedOff: 4, queuedEvents: 0 });
    await timers.advance(1000);
    const back = sink.stats();
    expect(back.handedOff).toBe(0);
    expect(back.queuedEvents + back.inFlight).toBe(4); // taken back (and perhaps retried already)
    fail = false;
    page.show();
    await flushAll();
    // (without keepalive if a normal keepalive retry failed unanswered meanwhile: the 5 s pause)
    expect(idsOf(fetch.calls.at(-1)!.text)).toEqual(ids(0, 4));
    expect(sink.stats().delivered).toBe(4);
  });

  it('without sendBeacon the exit path uses keepalive fetch', () => {
    const { sink, fetch, page, log } = setupUpload({ sendBeacon: false });
    log(2);
    page.pagehide();
    expect(fetch.calls[0]).toMatchObject({ keepalive: true });
    expect(sink.stats().handedOff).toBe(2);
  });

  it('a fallback fetch that throws at once is not counted as handed off', () => {
    const { sink, page, log } = setupUpload({
      sendBeacon: () => false,
      fetch: () => {
        throw new TypeError('keepalive refused');
      },
    });
    log(3);
    page.pagehide();
    expect(sink.stats()).toMatchObject({ handedOff: 0, exitLeft: 3, queuedEvents: 3 });
    expect(sink.sendOnExit([makeEvent(7)])).toBe(0); // a buffer sink in front keeps it
  });

  it('a batch being gzipped when the page exits goes by beacon, and only by beacon', async () => {
    const { sink, beacon, fetch, page, log, timers } = setupUpload({
      gzip: true,
      maxBatchEvents: 5,
    });
    log(5);
    const flushed = sink.flush(); // the dispatch starts now; its compression is still pending
    expect(sink.stats().inFlight).toBe(5);
    page.pagehide();
    expect((await beacon.texts()).flatMap(idsOf)).toEqual(ids(0, 5));
    page.show(); // the page lived on: the compression finishes, nothing is posted a second time
    await timers.advance(0);
    await flushed;
    expect(fetch.calls).toEqual([]);
    expect(sink.stats()).toMatchObject({ delivered: 5, inFlight: 0, queuedEvents: 0 });
  });

  it('after a 413, the half waiting for the first half goes on exit, and only on exit', async () => {
    let answerFirstHalf!: () => void;
    const firstHalf = new Promise<{ status: number }>(
      (resolve) => (answerFirstHalf = () => resolve({ status: 200 })),
    );
    const { sink, beacon, fetch, page, log, timers } = setupUpload({
      respond: (_c, i) => (i === 0 ? { status: 413 } : firstHalf),
    });
    log(6);
    await timers.advance(2000);
    expect(fetch.calls.map((c) => idsOf(c.text))).toEqual([ids(0, 6), ids(0, 3)]);
    page.pagehide();
    // the first half is in flight with keepalive; the second would die with the page
    expect((await beacon.texts()).flatMap(idsOf)).toEqual(ids(3, 3));
    page.show();
    answerFirstHalf();
    await timers.advance(0);
    expect(fetch.calls).toHaveLength(2); // the second half is not posted again
    expect(sink.stats()).toMatchObject({ delivered: 6, queuedEvents: 0, inFlight: 0 });
  });

  it('a keepalive request cut off by the exit is not sent again by the exit path', async () => {
    // Chromium's window.close() by the opener: the keepalive fetch's promise rejects (the request
    // goes on in the browser), then hidden and pagehide. The batch must not go a second time.
    let cutOff!: () => void;
    const { sink, beacon, fetch, page, log, timers, diag } = setupUpload({
      respond: (_c, i) =>
        i === 0
          ? new Promise((_, reject) => (cutOff = () => reject(new TypeError('Failed to fetch'))))
          : { status: 200 },
      maxBatchEvents: 10,
    });
    log(10);
    await timers.advance(0);
    expect(fetch.calls[0].keepalive).toBe(true);
    cutOff();
    await timers.advance(0);
    page.hide();
    page.pagehide();
    expect(beacon.calls).toEqual([]);
    expect(sink.stats().inFlight).toBe(10); // its fate is the keepalive request's
    // The page lived on (e.g. only hidden): once the hold is over, the batch goes again at once
    // without keepalive (Firefox refuses keepalive requests beyond its own limit like this).
    page.show();
    await timers.advance(1000);
    await timers.advance(1000);
    expect(fetch.ids()).toEqual([...ids(0, 10), ...ids(0, 10)]);
    expect(fetch.calls.map((call) => call.keepalive)).toEqual([true, false]);
    expect(sink.stats()).toMatchObject({ delivered: 10, retried: 0 });
    expect(diag.kinds()).not.toContain('batch-failed');
  });

  it('keepalive bytes of a normal request in flight shrink the exit budget', async () => {
    const { sink, beacon, fetch, page, log, timers } = setupUpload({
      respond: () => new Promise(() => {}), // never answers
      maxBatchEvents: 50,
    });
    log(50, { payload: { t: 'x'.repeat(400) } });
    await timers.advance(0);
    expect(fetch.calls[0].keepalive).toBe(true);
    const inFlight = fetch.calls[0].bytes;
    log(200, { payload: { t: 'x'.repeat(400) } });
    page.hide();
    const beaconed = beacon.calls.reduce((a, c) => a + c.bytes, 0);
    expect(beaconed + inFlight).toBeLessThanOrEqual(60 * 1024);
    expect(sink.stats().exitLeft).toBeGreaterThan(0);
  });

  it('a keepalive request holds its bytes until its response body is read to the end', async () => {
    let finishBody!: () => void;
    const body = new Promise<ArrayBuffer>((r) => (finishBody = () => r(new ArrayBuffer(2))));
    const { sink, beacon, page, log, timers } = setupUpload({
      fetch: async () => ({ status: 200, headers: new Headers(), arrayBuffer: () => body }),
      maxBatchEvents: 50,
    });
    log(50, { payload: { t: 'x'.repeat(400) } }); // ~27 KiB batch
    await timers.advance(0);
    expect(sink.stats().inFlight).toBe(50); // headers arrived, body still streaming
    log(200, { payload: { t: 'x'.repeat(400) } });
    page.hide();
    const beaconed = beacon.calls.reduce((a, c) => a + c.bytes, 0);
    expect(beaconed).toBeLessThan(60 * 1024 - 25 * 1024);
    finishBody();
    await timers.advance(0);
    expect(sink.stats().delivered).toBeGreaterThanOrEqual(50);
  });

  it('send() from a buffer: a keepalive failure is held only while the window is closing', async () => {
    const { sink, timers } = setupUpload({ respond: () => new TypeError('Failed to fetch') });
    let settled = false;
    const track = (p: Promise<unknown>) => p.then(() => (settled = true));
    await track(sink.send([makeEvent(1)])); // a living page: the buffer learns of it at once
    expect(settled).toBe(true);
    settled = false;
    const global = globalThis as { closed?: boolean };
    global.closed = true; // window.close() was called: the browser may still deliver it
    try {
      const held = track(sink.send([makeEvent(2)]));
      await timers.advance(999);
      expect(settled).toBe(false); // still in flight: the buffer's exit path counts it handed off
      await timers.advance(1);
      await held;
      expect(settled).toBe(true);
    } finally {
      delete global.closed;
    }
  });

  it('leaves a batch in flight without keepalive to its request on exit (never two copies)', async () => {
    const { beacon, fetch, page, log, timers, diag } = setupUpload({
      respond: () => new Promise(() => {}),
      exitBudgetBytes: 4000,
      maxBatchEvents: 20,
    });
    log(20, { payload: { t: 'x'.repeat(300) } });
    await timers.advance(0);
    expect(fetch.calls[0].keepalive).toBe(false); // > 4000 bytes
    page.hide();
    page.pagehide();
    expect(beacon.calls).toEqual([]);
    expect(diag.kinds()).toContain('exit-in-flight');
  });

  it('public send() never rejects and sendOnExit() reports failures through onFailed', async () => {
    const { sink, timers } = setupUpload({
      respond: () => new TypeError('down'),
      sendBeacon: () => false,
    });
    await expect(sink.send([makeEvent(1)])).resolves.toMatchObject({ ok: false, retry: true });
    const failed: string[] = [];
    const n = sink.sendOnExit([makeEvent(1), makeEvent(2)], (ev) =>
      failed.push(...ev.map((e) => e.id)),
    );
    expect(n).toBe(2); // handed to keepalive fetch
    await settle();
    await timers.advance(1000); // a failure without an answer is held 1 s before it is taken back
    expect(failed).toEqual(['ev-1', 'ev-2']);
  });
});
