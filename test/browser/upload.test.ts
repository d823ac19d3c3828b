import { describe, expect, it } from 'vitest';
import { LogContext, UploadSink, type FetchLike, type UploadSinkOptions } from '../../src/index.js';

// The browser project's dev server mounts the local collector at /__collector (vitest.config.ts).
const sid = (name: string) => `${name}-${Date.now()}-${Math.random().toString(36).slice(2)}`;

async function collectorStats(id: string) {
  const res = await fetch(`/__collector/stats?sid=${id}`);
  return (await res.json()) as { unique: number; duplicates: number; requests: number };
}

async function waitFor(check: () => Promise<boolean>, ms = 5000) {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('timed out');
}

/**
 * A fresh same-origin document, so a test has the whole keepalive budget to itself.
 *
 * Chromium lets each document have 64 KiB of keepalive requests (beacons included) in flight. It
 * releases an earlier test's share only when that request has finished in the browser, which can
 * be well after the collector counted it, so tests that measure the budget send from their own
 * frame: its navigator and fetch, with this page's URLs.
 */
function freshDocument() {
  const frame = document.createElement('iframe');
  document.body.append(frame);
  const frameWindow = frame.contentWindow as Window & typeof globalThis;
  const absolute = (url: string) => new URL(url, location.href).href;
  return {
    sendBeacon: (url: string, data: Blob | string) =>
      frameWindow.navigator.sendBeacon(absolute(url), data),
    fetch: (url: string, init: RequestInit) => frameWindow.fetch(absolute(url), init),
  };
}

/** A real navigator.sendBeacon that records what it was given and what it answered. */
function recordingBeacon(document = { sendBeacon: navigator.sendBeacon.bind(navigator) }) {
  const calls: { bytes: number; type: string; ok: boolean }[] = [];
  const sendBeacon = (url: string, data: Blob | string) => {
    const ok = document.sendBeacon(url, data);
    const blob = typeof data === 'string' ? new Blob([data]) : data;
    calls.push({ bytes: blob.size, type: blob.type, ok });
    return ok;
  };
  return { calls, sendBeacon };
}

function makeSink(id: string, options: Partial<UploadSinkOptions> = {}) {
  const sink = new UploadSink({
    url: `/__collector/collect?sid=${id}`,
    onDiagnostic: () => {},
    ...options,
  });
  const log = new LogContext({ namespace: 'browser/upload', sinks: { upload: sink } });
  return { sink, log };
}

const pagehide = () => window.dispatchEvent(new PageTransitionEvent('pagehide'));
const pageshow = () => window.dispatchEvent(new PageTransitionEvent('pageshow'));

describe('UploadSink in Chromium', () => {
  it('hands queued events to the real sendBeacon on pagehide; the collector receives them', async () => {
    const id = sid('beacon');
    const beacon = recordingBeacon();
    const { sink, log } = makeSink(id, { sendBeacon: beacon.sendBeacon, flushIntervalMs: 60_000 });
    for (let i = 0; i < 40; i++) log.info('beacon event', { i });
    pagehide();
    pageshow();
    expect(beacon.calls).toEqual([expect.objectContaining({ ok: true, type: 'text/plain' })]);
    expect(sink.stats()).toMatchObject({ handedOff: 40, queuedEvents: 0 });
    await waitFor(async () => (await collectorStats(id)).unique === 40);
    await sink.close();
  });

  it('with 1 MiB pending, exit chunks stay within the budget and the rest is counted', async () => {
    const id = sid('mib');
    const ownDocument = freshDocument();
    const beacon = recordingBeacon(ownDocument);
    const { sink, log } = makeSink(id, {
      sendBeacon: beacon.sendBeacon,
      fetch: ownDocument.fetch,
      flushIntervalMs: 60_000,
      maxBatchEvents: 100_000,
      maxBatchBytes: 32 * 1024,
      maxQueueBytes: 2 * 1024 * 1024,
      maxQueueEvents: 100_000,
    });
    const text = 'x'.repeat(1000);
    for (let i = 0; i < 1024; i++) log.info('big', { i, text }); // ≈ 1.1 MiB encoded
    expect(sink.stats().queuedBytes).toBeGreaterThan(1024 * 1024);
    pagehide(); // synchronously, in this task: no normal dispatch has run
    const sent = beacon.calls.reduce((a, c) => a + c.bytes, 0);
    console.log(
      `1 MiB exit: ${beacon.calls.length} beacons, ${sent} bytes, results ${beacon.calls.map((c) => c.ok)}`,
    );
    expect(beacon.calls.length).toBeGreaterThan(0);
    expect(beacon.calls.every((c) => c.ok)).toBe(true); // never asked the browser beyond the budget
    expect(sent).toBeLessThanOrEqual(60 * 1024);
    const s = sink.stats();
    expect(s.handedOff + s.exitLeft).toBe(1024);
    expect(s.queuedEvents).toBe(s.exitLeft);
    await waitFor(async () => (await collectorStats(id)).unique === s.handedOff);
    pageshow(); // the page lives on: the rest goes by fetch
    await sink.close();
    const end = await collectorStats(id);
    expect(end.unique).toBe(1024);
    expect(end.duplicates).toBe(0);
  });

  it('honours a false sendBeacon (budget taken by another script): nothing is lost', async () => {
    const id = sid('refused');
    const ownDocument = freshDocument();
    const beacon = recordingBeacon(ownDocument);
    const fetches: { keepalive: boolean; outcome?: string }[] = [];
    const recordingFetch: FetchLike = (url, init) => {
      const entry: { keepalive: boolean; outcome?: string } = { keepalive: !!init.keepalive };
      fetches.push(entry);
      const p = ownDocument.fetch(url, init);
      p.then(
        (r) => (entry.outcome = String(r.status)),
        (e: unknown) => (entry.outcome = String(e)),
      );
      return p;
    };
    const { sink, log } = makeSink(id, {
      sendBeacon: beacon.sendBeacon,
      fetch: recordingFetch,
      flushIntervalMs: 60_000,
    });
    for (let i = 0; i < 30; i++) log.info('refused', { i });
    // Another script fills the page's 64 KiB keepalive budget in the same task.
    expect(
      ownDocument.sendBeacon(`/__collector/collect?sid=other-${id}`, 'x'.repeat(64 * 1024)),
    ).toBe(true);
    pagehide();
    expect(beacon.calls.map((c) => c.ok)).toEqual([false]); // real Chromium refused ours
    expect(fetches[0]).toEqual({ keepalive: true }); // fell back to a keepalive fetch
    await waitFor(async () => fetches[0].outcome !== undefined);
    console.log(`refused beacon: fallback keepalive fetch → ${fetches[0].outcome}`);
    pageshow();
    await sink.close();
    expect((await collectorStats(id)).unique).toBe(30);
    const s = sink.stats();
    expect(s.delivered + s.handedOff).toBe(30);
  });

  it('gzip + OTLP over the real fetch reach the collector at /v1/logs', async () => {
    const id = sid('otlp');
    const { sink, log } = makeSink(id, {
      url: `/__collector/v1/logs?sid=${id}`,
      encoding: 'otlp',
      gzip: true,
      resource: { 'service.name': 'browser-test' },
    });
    for (let i = 0; i < 250; i++) log.warn('otlp event', { i, nested: { ok: true } });
    await sink.close();
    expect(sink.stats()).toMatchObject({ delivered: 250, retried: 0 });
    expect((await collectorStats(id)).unique).toBe(250);
  });
});
