import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LogEvent } from '../../../../src/index.js';
import { STARTED_KEEPALIVE } from '../../../../src/sinks/indexeddb/transport.js';
import { createFakeFetch } from '../../../fakes/fetch.js';
import { makeEvent } from '../helpers.js';
import { setupUpload } from './setup.js';

// What an IndexedDbSink draining through an UploadSink reads right after `send()`, and again at
// `pagehide`: whether the request of that batch outlives the page (then a batch in flight at the
// page's end counts as handed off and the next drainer does not send it again). A request that
// dies with the page, or never started, must not count: the batch would be recorded as delivered
// and never sent.
const batchOf = (n: number): LogEvent[] => Array.from({ length: n }, (_, i) => makeEvent(i));

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('UploadSink[STARTED_KEEPALIVE]', () => {
  it('is true right after send() started a keepalive request', () => {
    const { sink, fetch } = setupUpload();
    const batch = batchOf(3);
    void sink.send(batch);
    expect(fetch.calls[0].keepalive).toBe(true);
    expect(sink[STARTED_KEEPALIVE](batch)).toBe(true);
  });

  it('is false for any other batch array than that of the latest send()', () => {
    // Read at pagehide after the drain task was cut short: the mark of an earlier batch must not
    // count for a batch whose request may never have started.
    const { sink } = setupUpload();
    const first = batchOf(3);
    void sink.send(first);
    expect(sink[STARTED_KEEPALIVE]([...first])).toBe(false);
    const second = batchOf(2);
    void sink.send(second);
    expect(sink[STARTED_KEEPALIVE](first)).toBe(false);
    expect(sink[STARTED_KEEPALIVE](second)).toBe(true);
  });

  it('is false while the body is being gzipped, true once its keepalive request started', async () => {
    const { sink, fetch } = setupUpload({ gzip: true });
    const batch = batchOf(3);
    void sink.send(batch);
    expect(fetch.calls).toHaveLength(0);
    expect(sink[STARTED_KEEPALIVE](batch)).toBe(false);
    await vi.waitFor(() => expect(fetch.calls).toHaveLength(1));
    expect(sink[STARTED_KEEPALIVE](batch)).toBe(true);
  });

  it('is false for a request sent without keepalive (over the keepalive budget)', () => {
    const { sink, fetch } = setupUpload({ exitBudgetBytes: 1000 });
    const big = batchOf(20);
    void sink.send(big);
    expect(fetch.calls[0].keepalive).toBe(false);
    expect(sink[STARTED_KEEPALIVE](big)).toBe(false);
    const small = batchOf(1);
    void sink.send(small); // each send says it for its own request
    expect(fetch.calls[1].keepalive).toBe(true);
    expect(sink[STARTED_KEEPALIVE](small)).toBe(true);
  });

  it('is false when fetch threw at once (no request started)', () => {
    const { sink } = setupUpload({
      fetch: () => {
        throw new TypeError('refused');
      },
    });
    const batch = batchOf(3);
    void sink.send(batch);
    expect(sink[STARTED_KEEPALIVE](batch)).toBe(false);
  });

  it('calls the global fetch itself (read at call time) when no fetch is given', () => {
    const { sink } = setupUpload({ fetch: undefined });
    const global = createFakeFetch();
    vi.stubGlobal('fetch', global.fetch);
    const batch = batchOf(3);
    void sink.send(batch);
    expect(global.calls).toHaveLength(1);
    expect(sink[STARTED_KEEPALIVE](batch)).toBe(true);
  });
});
