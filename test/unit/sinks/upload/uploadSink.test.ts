import { describe, expect, it } from 'vitest';
import {
  configureLogSink,
  LogConfigError,
  LogSinkConflictError,
  resetLogSinks,
  UploadSink,
} from '../../../../src/index.js';
import { idsOf } from '../../../fakes/fetch.js';
import { makeEvent } from '../helpers.js';
import { setupUpload } from './setup.js';

const ids = (from: number, n: number) => Array.from({ length: n }, (_, i) => `ev-${from + i}`);

describe('UploadSink normal path', () => {
  it('POSTs a JSON batch with resource, headers and keepalive within the budget', async () => {
    const { sink, fetch, log, flushAll } = setupUpload({
      headers: { Authorization: 'Bearer t' },
      resource: { 'service.name': 'shop' },
    });
    log(3);
    await flushAll();
    expect(fetch.calls).toHaveLength(1);
    const call = fetch.calls[0];
    expect(call).toMatchObject({ url: 'https://logs.example.com/collect?sid=t', method: 'POST' });
    expect(call.headers).toEqual({ 'Content-Type': 'application/json', Authorization: 'Bearer t' });
    expect(call.keepalive).toBe(true);
    const body = JSON.parse(call.text);
    expect(body.resource).toEqual({ 'service.name': 'shop' });
    expect(body.events).toEqual([makeEvent(0), makeEvent(1), makeEvent(2)]);
    expect(call.bytes).toBe(Buffer.byteLength(call.text));
    expect(sink.stats()).toMatchObject({ accepted: 3, delivered: 3 });
  });

  it('sizes events in UTF-8 bytes (the unit of the keepalive budget), not UTF-16 units', () => {
    const { sink } = setupUpload();
    const event = makeEvent(1, { message: 'ünïcødé ✓ 😀 \ud800' });
    sink.log(event);
    // the encoded record plus its comma; a lone surrogate is escaped by JSON.stringify
    expect(sink.stats().queuedBytes).toBe(Buffer.byteLength(JSON.stringify(event)) + 1);
    expect(sink.stats().queuedBytes).toBeGreaterThan(JSON.stringify(event).length + 1);
  });

  it('does not use keepalive for a body larger than the free budget', async () => {
    const { fetch, log, flushAll } = setupUpload({ exitBudgetBytes: 1000 });
    log(20);
    await flushAll();
    expect(fetch.calls[0].bytes).toBeGreaterThan(1000);
    expect(fetch.calls[0].keepalive).toBe(false);
  });

  it('without CompressionStream, gzip sends uncompressed and reports it once', async () => {
    const g = globalThis as { CompressionStream?: unknown };
    const saved = g.CompressionStream;
    delete g.CompressionStream;
    try {
      const { fetch, log, sink, diag } = setupUpload({ gzip: true, maxBatchEvents: 2 });
      log(4);
      await sink.flush();
      expect(fetch.calls.map((c) => c.headers['Content-Encoding'])).toEqual([undefined, undefined]);
      expect(fetch.ids()).toEqual(ids(0, 4));
      expect(diag.kinds().filter((k) => k === 'gzip-unavailable')).toHaveLength(1);
    } finally {
      g.CompressionStream = saved;
    }
  });

  it('gzips the normal path when asked, with Content-Encoding', async () => {
    const { fetch, log, sink } = setupUpload({ gzip: true });
    log(50);
    const done = sink.flush();
    // CompressionStream works on a real thread: wait for the request, not for fake time.
    for (let i = 0; i < 200 && !fetch.calls.length; i++) await new Promise((r) => setTimeout(r, 5));
    await done;
    expect(fetch.calls[0].headers['Content-Encoding']).toBe('gzip');
    expect(idsOf(fetch.calls[0].text)).toEqual(ids(0, 50));
    expect(fetch.calls[0].bytes).toBeLessThan(Buffer.byteLength(fetch.calls[0].text) / 3);
  });
});

describe('UploadSink response handling', () => {
  it('500 then 200: retried after backoff, delivered once', async () => {
    const { sink, fetch, log, flushAll } = setupUpload({
      respond: (_c, i) => ({ status: i === 0 ? 500 : 200 }),
    });
    log(5);
    await flushAll();
    expect(fetch.calls.map((c) => idsOf(c.text))).toEqual([ids(0, 5), ids(0, 5)]);
    expect(sink.stats()).toMatchObject({ delivered: 5, retried: 5 });
  });

  it.each([
    ['seconds', '7', 7000],
    ['HTTP-date', new Date(1_700_000_000_000 + 2000 + 9000).toUTCString(), 9000],
  ])('429 with Retry-After in %s waits exactly that long', async (_name, header, wait) => {
    const { sink, fetch, log, timers } = setupUpload({
      respond: (_c, i) =>
        i === 0 ? { status: 429, headers: { 'Retry-After': header } } : { status: 204 },
    });
    log(1);
    await timers.advance(2000); // first attempt at +2 s (age)
    expect(fetch.calls).toHaveLength(1);
    await timers.advance(wait - 1);
    expect(fetch.calls).toHaveLength(1);
    await timers.advance(1);
    expect(fetch.calls).toHaveLength(2);
    expect(sink.stats().delivered).toBe(1);
  });

  it('503 with Retry-After as an HTTP-date waits until then', async () => {
    const at = new Date(1_700_000_000_000 + 2000 + 5000).toUTCString();
    const { sink, fetch, log, timers } = setupUpload({
      respond: (_c, i) =>
        i === 0 ? { status: 503, headers: { 'Retry-After': at } } : { status: 204 },
    });
    log(1);
    await timers.advance(2000 + 4999);
    expect(fetch.calls).toHaveLength(1);
    await timers.advance(1);
    expect(fetch.calls).toHaveLength(2);
    expect(sink.stats()).toMatchObject({ delivered: 1, retried: 1 });
  });

  it('caps Retry-After at 10 minutes', async () => {
    const { fetch, log, timers } = setupUpload({
      respond: (_c, i) =>
        i === 0 ? { status: 429, headers: { 'Retry-After': '86400' } } : { status: 204 },
    });
    log(1);
    await timers.advance(2000 + 599_999);
    expect(fetch.calls).toHaveLength(1);
    await timers.advance(1);
    expect(fetch.calls).toHaveLength(2);
  });

  it.each([408, 503, 504])('%i is retried', async (status) => {
    const { sink, log, flushAll } = setupUpload({
      respond: (_c, i) => ({ status: i === 0 ? status : 200 }),
    });
    log(1);
    await flushAll();
    expect(sink.stats()).toMatchObject({ delivered: 1, retried: 1 });
  });

  it.each([400, 401, 403, 404, 422])('%i drops the batch, counted rejected', async (status) => {
    const { sink, fetch, log, flushAll, diag } = setupUpload({ respond: () => ({ status }) });
    log(4);
    await flushAll();
    expect(fetch.calls).toHaveLength(1);
    expect(sink.stats().dropped.rejected).toBe(4);
    expect(diag.kinds()).toContain('batch-rejected');
  });

  it('413 splits the batch and sends the halves; a single event answered 413 is rejected', async () => {
    const { sink, fetch, log, flushAll } = setupUpload({
      respond: (call) => ({
        status: idsOf(call.text).length > 2 || call.text.includes('huge') ? 413 : 200,
      }),
    });
    log(7);
    await flushAll();
    const sent = fetch.calls.map((c) => idsOf(c.text).length);
    expect(sent).toEqual([7, 4, 2, 2, 3, 2, 1]);
    expect(sink.stats()).toMatchObject({ delivered: 7, retried: 0 });
    sink.log(makeEvent(100, { message: 'huge' }));
    await flushAll();
    expect(sink.stats().dropped.rejected).toBe(1);
  });

  it('network errors are retried, then counted failed after maxRetries', async () => {
    const { sink, fetch, log, flushAll, diag } = setupUpload({
      maxRetries: 3,
      respond: () => new TypeError('Failed to fetch'),
    });
    log(2);
    await flushAll();
    // The first attempt: keepalive, then (the page lives on after the hold) without it; the
    // next attempts within 5 s go without keepalive at once.
    expect(fetch.calls.map((call) => call.keepalive)).toEqual([true, false, false, false, false]);
    expect(sink.stats()).toMatchObject({ retried: 6, dropped: { failed: 2 } });
    expect(diag.kinds()).toContain('batch-failed');
  });

  it('a keepalive request refused with a network error (Firefox beyond its keepalive limits) is sent again without keepalive once the hold is over', async () => {
    const { sink, fetch, log, flushAll, timers } = setupUpload({
      respond: (call) =>
        call.keepalive
          ? new TypeError('NetworkError when attempting to fetch resource.')
          : { status: 204 },
    });
    log(3);
    await flushAll();
    expect(fetch.calls.map((call) => call.keepalive)).toEqual([true, false]);
    expect(idsOf(fetch.calls[1].text)).toEqual(idsOf(fetch.calls[0].text));
    expect(sink.stats()).toMatchObject({ delivered: 3, retried: 0 });
    // For the next 5 s the normal path sends without keepalive (no hold per batch), then tries
    // keepalive again.
    log(3);
    await sink.flush();
    expect(fetch.calls.map((call) => call.keepalive)).toEqual([true, false, false]);
    await timers.advance(5000);
    log(3);
    await flushAll();
    expect(fetch.calls.map((call) => call.keepalive)).toEqual([true, false, false, true, false]);
    expect(sink.stats()).toMatchObject({ delivered: 9, retried: 0 });
  });

  it('an answered failure (HTTP 503) is not sent again without keepalive: it waits for its retry', async () => {
    const { sink, fetch, log, flushAll } = setupUpload({
      retryBaseMs: 10,
      respond: (_call, index) => (index === 0 ? { status: 503 } : { status: 204 }),
    });
    log(2);
    await flushAll();
    expect(fetch.calls.map((call) => call.keepalive)).toEqual([true, true]);
    expect(sink.stats()).toMatchObject({ delivered: 2, retried: 2 });
  });
});

describe('UploadSink never throws into the app', () => {
  it('a synchronously throwing fetch or sendBeacon, or a fetch resolving garbage', async () => {
    for (const fetchImpl of [
      () => {
        throw new Error('fetch exploded');
      },
      () => Promise.resolve(undefined as never),
    ]) {
      const { sink, page, log, flushAll, timers } = setupUpload({
        maxRetries: 1,
        fetch: fetchImpl,
        sendBeacon: () => {
          throw new Error('beacon exploded');
        },
      });
      expect(() => log(3)).not.toThrow();
      expect(() => page.hide()).not.toThrow();
      page.show();
      await flushAll();
      await timers.advance(1000); // an exit fetch without an answer is held 1 s, then re-queued
      await flushAll();
      const s = sink.stats();
      expect(s.accepted).toBe(3);
      expect(s.delivered + s.handedOff + s.dropped.failed + s.queuedEvents).toBe(3);
    }
  });
});

describe('UploadSink offline', () => {
  it('holds while offline (bounded) and flushes on online', async () => {
    const { sink, fetch, log, timers, network } = setupUpload({ maxQueueEvents: 100 });
    log(1);
    network.set(false);
    log(249);
    await timers.advance(60_000);
    expect(fetch.calls).toEqual([]);
    expect(sink.stats()).toMatchObject({ paused: true, queuedEvents: 100 });
    expect(sink.stats().dropped.overflow).toBe(150);
    network.set(true);
    await timers.advance(0);
    expect(fetch.ids()).toEqual(ids(150, 100));
  });

  it('send() answers a retryable failure without a request while offline', async () => {
    const { sink, fetch, network } = setupUpload();
    network.set(false);
    await expect(sink.send([makeEvent(1)])).resolves.toMatchObject({ ok: false, retry: true });
    expect(fetch.calls).toEqual([]);
  });

  it('starts paused when the platform says offline, and hands nothing off on exit then', async () => {
    const { sink, fetch, beacon, page, log, timers, network } = setupUpload();
    network.set(false);
    log(3);
    await timers.advance(5000);
    page.hide();
    expect(beacon.calls).toEqual([]);
    expect(sink.stats()).toMatchObject({ exitLeft: 3, queuedEvents: 3 });
    page.show();
    network.set(true);
    await timers.advance(0);
    expect(fetch.ids()).toEqual(ids(0, 3));
  });
});

describe('UploadSink configuration', () => {
  it.each([
    [{}, /`url` must be an http\(s\) URL.*got undefined/],
    [{ url: '  ' }, /`url` must be an http\(s\) URL/],
    [{ url: 'relative/path' }, /`url` must be an http\(s\) URL \(absolute.*got "relative\/path"/],
    [{ url: 'ftp://x.example/logs' }, /`url` must be an http\(s\) URL.*got "ftp:/],
    [{ url: 'https://x.example', encoding: 'xml' }, /`encoding` must be 'json' or 'otlp'/],
    [{ url: 'https://x.example', headers: { a: 1 } }, /`headers` must be an object of strings/],
    [{ url: 'https://x.example', resource: 'shop' }, /`resource` must be an object/],
    [{ url: 'https://x.example', headers: null }, /`headers` must be an object of strings/],
    [{ url: 'https://x.example', resource: null }, /`resource` must be an object/],
    [
      {
        url: 'https://x.example',
        resource: (() => {
          const r: Record<string, unknown> = {};
          r.self = r;
          return r;
        })(),
      },
      /`resource` must be JSON-serializable/,
    ],
    [{ url: 'https://x.example', resource: { n: 1n } }, /`resource` must be JSON-serializable/],
    [{ url: 'https://x.example', exitBudgetBytes: 70_000 }, /`exitBudgetBytes` must be <= 65536/],
    [{ url: 'https://x.example', exitContentType: '' }, /`exitContentType`/],
    [{ url: 'https://x.example', fetch: 'no' }, /`fetch` must be a function/],
    [{ url: 'https://x.example', sendBeacon: 1 }, /`sendBeacon` must be a function/],
  ])('%o throws LogConfigError', (opts, message) => {
    expect(() => new UploadSink(opts as never)).toThrow(LogConfigError);
    expect(() => new UploadSink(opts as never)).toThrow(message);
  });

  it('resolves relative URLs against the location when there is one', () => {
    const g = globalThis as { location?: unknown };
    g.location = { href: 'https://app.example/shop/page' };
    try {
      expect(new UploadSink({ url: '../v1/logs' }).url).toBe('https://app.example/v1/logs');
    } finally {
      delete g.location;
    }
  });

  it('registry: same options → same sink, different encoding → conflict; terminator closes', async () => {
    await resetLogSinks();
    const base = {
      name: 'up',
      sinkClass: UploadSink,
      url: 'https://x.example/v1/logs',
      fetch: async () => ({ status: 200 }),
    };
    const a = configureLogSink(base);
    expect(configureLogSink(base)).toBe(a);
    expect(() => configureLogSink({ ...base, encoding: 'otlp' })).toThrow(LogSinkConflictError);
    const [sink, terminate] = UploadSink.create({ url: 'https://x.example' });
    await terminate();
    sink.log(makeEvent(1));
    expect(sink.stats().dropped.closed).toBe(1);
    await resetLogSinks();
  });
});
