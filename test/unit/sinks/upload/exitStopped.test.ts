import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFakeBeacon } from '../../../fakes/beacon.js';
import type { FetchLike } from '../../../../src/index.js';
import { idsOf, type FakeAnswer } from '../../../fakes/fetch.js';
import { settle } from '../../../fakes/timers.js';
import { createKeepaliveBudget } from '../../../../src/sinks/upload/keepaliveBudget.js';
import { startPost } from '../../../../src/sinks/upload/post.js';
import { resolveUploadOptions } from '../../../../src/sinks/upload/uploadOptions.js';
import { makeEvent } from '../helpers.js';
import { setupUpload } from './setup.js';

// Firefox closing a tab stops the page's script in the middle of a listener (no catch, no
// finally), then still runs the later exit listeners: the sink's pagehide listener was stopped
// right after sendBeacon returned true, and visibilitychange beaconed the same 100 events again
// (e2e/otelCollector.spec.ts, 'the tab closed at once'). A vm timeout stops Node's script the same
// way: the fakes below spin at a chosen call until it fires.

const ids = (from: number, n: number) => Array.from({ length: n }, (_, i) => `ev-${from + i}`);

/** Which call the script is stopped at (`undefined`: none). */
let stopAt: 'clock' | 'fetch-answer' | 'beacon-call' | undefined;

/** Spins (until the vm timeout stops the script) when the script is to be stopped at `point`. */
function stopHere(point: typeof stopAt) {
  while (stopAt === point) {
    // the vm timeout ends this
  }
}

/**
 * Fires an exit listener and stops the script at `point` (or where a fake sets `stopAt`), as a
 * closing tab does.
 */
function fireStopped(fire: () => void, point?: typeof stopAt) {
  stopAt = point;
  try {
    expect(() => runInNewContext('fire()', { fire }, { timeout: 100 })).toThrow(/timed out/);
  } finally {
    stopAt = undefined;
  }
}

/**
 * An upload sink whose clock and `fetch` can stop the script: the clock when it is read, `fetch`
 * where the request's answer is first awaited (the first call after `fetch` returned).
 */
function setupStoppable(options: Parameters<typeof setupUpload>[0] = {}) {
  let clock = () => 0;
  let post: FetchLike = () => Promise.reject(Error('not wired yet'));
  const upload = setupUpload({
    now: () => {
      stopHere('clock');
      return clock();
    },
    fetch: (url, init) => {
      const answer = post(url, init);
      const thenable = {
        get then() {
          stopHere('fetch-answer');
          return answer.then.bind(answer);
        },
      };
      return thenable as unknown as ReturnType<FetchLike>;
    },
    ...options,
  });
  clock = upload.timers.now;
  post = upload.fetch.fetch;
  return upload;
}

describe('UploadSink exit listener stopped by the closing page', () => {
  it('stopped right after sendBeacon returned true: the next exit does not beacon it again', async () => {
    const beacon = createFakeBeacon();
    let armed = false;
    const { sink, page, log, fetch } = setupStoppable({
      encoding: 'otlp',
      sendBeacon: (url, data) => {
        const queued = beacon.sendBeacon(url, data);
        if (armed) stopAt = 'clock'; // the next call (the budget's clock read) is stopped
        return queued;
      },
    });
    log(10);
    armed = true;
    fireStopped(() => page.pagehide());
    armed = false;
    expect(beacon.calls).toHaveLength(1);
    expect(sink.stats()).toMatchObject({ handedOff: 0, queuedEvents: 10 }); // never told
    page.hide(); // Firefox fires visibilitychange after pagehide
    expect((await beacon.texts()).flatMap(idsOf)).toEqual(ids(0, 10)); // once each
    expect(sink.stats()).toMatchObject({ handedOff: 10, queuedEvents: 0, exitLeft: 0 });
    expect(fetch.calls).toEqual([]);
  });

  it("a buffer sink's sendOnExit stopped right after sendBeacon: its next exit sends them again (never lost)", async () => {
    // Not skipped, unlike the sink's own queue: while a later exit skipped what a stopped one had
    // beaconed, an IndexedDbSink burst lost exactly one exit chunk (500 events) in 3 of about 100 closes
    // (Chromium once, Firefox twice), none in 40 after it was reverted; the suspected cause, unproven: a
    // beacon started by a listener the close cut short may never leave. A duplicate, not a loss.
    const beacon = createFakeBeacon();
    let armed = false;
    const { sink } = setupStoppable({
      sendBeacon: (url, data) => {
        const queued = beacon.sendBeacon(url, data);
        if (armed) stopAt = 'clock';
        return queued;
      },
    });
    const events = Array.from({ length: 4 }, (_, i) => makeEvent(i));
    armed = true;
    fireStopped(() => sink.sendOnExit(events));
    armed = false;
    expect(sink.sendOnExit(events)).toBe(4);
    expect((await beacon.texts()).flatMap(idsOf)).toEqual([...ids(0, 4), ...ids(0, 4)]);
  });

  it('stopped right after the fallback fetch started: the next exit does not post it again', () => {
    const { sink, page, log, fetch } = setupStoppable({ sendBeacon: false });
    log(6);
    fireStopped(() => page.pagehide(), 'fetch-answer');
    expect(fetch.ids()).toEqual(ids(0, 6));
    expect(sink.stats()).toMatchObject({ handedOff: 0, queuedEvents: 6 });
    page.hide();
    expect(fetch.ids()).toEqual(ids(0, 6)); // once each
    expect(sink.stats()).toMatchObject({ handedOff: 6, queuedEvents: 0 });
  });

  it('stopped as sendBeacon was called, before it sent: the next exit sends it (never lost)', async () => {
    const beacon = createFakeBeacon();
    const { sink, page, log } = setupStoppable({
      sendBeacon: (url, data) => {
        stopHere('beacon-call');
        return beacon.sendBeacon(url, data);
      },
    });
    log(5);
    fireStopped(() => page.pagehide(), 'beacon-call');
    expect(beacon.calls).toEqual([]);
    page.hide();
    expect((await beacon.texts()).flatMap(idsOf)).toEqual(ids(0, 5));
    expect(sink.stats()).toMatchObject({ handedOff: 5, queuedEvents: 0 });
  });

  it('a fallback fetch that failed and was taken back is sent again by the next exit', async () => {
    let answer: FakeAnswer = new TypeError('Failed to fetch');
    const { sink, page, log, fetch, timers } = setupUpload({
      sendBeacon: false,
      flushIntervalMs: 60_000,
      respond: () => answer,
    });
    log(4);
    page.pagehide();
    await settle();
    await timers.advance(1000); // the page lived on: the chunk is taken back
    expect(sink.stats()).toMatchObject({ handedOff: 0, queuedEvents: 4 });
    answer = { status: 200 };
    page.pagehide(); // it exits again (back/forward cache)
    expect(fetch.ids()).toEqual([...ids(0, 4), ...ids(0, 4)]);
    expect(sink.stats()).toMatchObject({ handedOff: 4, queuedEvents: 0 });
  });

  describe('the default transports mark the start before they return', () => {
    // Firefox stops the script at the first call or return after sendBeacon: the mark must be
    // written in the frame that called the browser, not by the caller after the return.
    afterEach(() => void vi.unstubAllGlobals());
    const url = 'https://logs.example.com/v1/logs';

    it('sendBeacon: marked when the browser queued it, not when it refused', () => {
      let queue = true;
      vi.stubGlobal('navigator', { sendBeacon: () => queue });
      const beacon = resolveUploadOptions({ url })._beacon!;
      const mark = { _keepalive: false, _sending: 'last event', _through: undefined as unknown };
      queue = false;
      expect(beacon(url, 'x', mark)).toBe(false);
      expect(mark._through).toBeUndefined();
      queue = true;
      expect(beacon(url, 'x', mark)).toBe(true);
      expect(mark._through).toBe('last event');
    });

    it('fetch (startPost with the global fetch): marked once the call returned, not when it threw', () => {
      let refuse = false;
      vi.stubGlobal('fetch', () => {
        if (refuse) throw new TypeError('keepalive refused');
        return new Promise(() => {}); // in flight
      });
      const target = {
        _url: url,
        _fetch: undefined,
        _budget: createKeepaliveBudget(61440, () => 0),
        _now: () => 0,
      };
      const mark = { _keepalive: false, _sending: 'last event', _through: undefined as unknown };
      refuse = true;
      expect(startPost(target, 'x', {}, true, mark)._threwAtOnce).toBe(true);
      expect(mark._through).toBeUndefined();
      refuse = false;
      expect(startPost(target, 'x', {}, true, mark)._threwAtOnce).toBe(false);
      expect(mark._through).toBe('last event');
    });
  });
});
