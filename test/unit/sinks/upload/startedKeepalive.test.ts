import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../../../../src/index.js';
import { STARTED_KEEPALIVE } from '../../../../src/sinks/indexeddb/transport.js';
import { makeEvent } from '../helpers.js';
import { setupUpload } from './setup.js';

// What an IndexedDbSink draining through an UploadSink reads right after `send()`: whether that
// request outlives the page (then a batch in flight at the page's end counts as handed off and
// the next drainer does not send it again). A request that dies with the page must not count:
// the batch would be recorded as delivered and never sent.
const batchOf = (n: number): LogEvent[] => Array.from({ length: n }, (_, i) => makeEvent(i));

describe('UploadSink[STARTED_KEEPALIVE]', () => {
  it('is true right after send() started a keepalive request', () => {
    const { sink, fetch } = setupUpload();
    void sink.send(batchOf(3));
    expect(fetch.calls[0].keepalive).toBe(true);
    expect(sink[STARTED_KEEPALIVE]()).toBe(true);
  });

  it('is false while the body is being gzipped: no request has started yet', () => {
    const { sink, fetch } = setupUpload({ gzip: true });
    void sink.send(batchOf(3));
    expect(fetch.calls).toHaveLength(0);
    expect(sink[STARTED_KEEPALIVE]()).toBe(false);
  });

  it('is false for a request sent without keepalive (over the keepalive budget)', () => {
    const { sink, fetch } = setupUpload({ exitBudgetBytes: 1000 });
    void sink.send(batchOf(20));
    expect(fetch.calls[0].keepalive).toBe(false);
    expect(sink[STARTED_KEEPALIVE]()).toBe(false);
    void sink.send(batchOf(1)); // each send says it for its own request
    expect(fetch.calls[1].keepalive).toBe(true);
    expect(sink[STARTED_KEEPALIVE]()).toBe(true);
  });
});
