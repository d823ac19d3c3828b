import { describe, expect, it } from 'vitest';
import { AsyncLogSink, LogConfigError, UploadSink, type LogEvent } from '../../../../src/index.js';
import { makeEvent } from '../helpers.js';
import { setupUpload } from './setup.js';

// What the receiver says, beyond a status: OTLP partial success, a failing endpoint; and the
// options a user can get wrong.

const partial = (rejected: number | string, errorMessage = 'bad records') => ({
  status: 200,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ partialSuccess: { rejectedLogRecords: rejected, errorMessage } }),
});

describe('OTLP partial success', () => {
  it('counts rejectedLogRecords as rejected, the rest delivered, and reports errorMessage once', async () => {
    const { sink, log, flushAll, diag } = setupUpload({
      encoding: 'otlp',
      maxBatchEvents: 10,
      respond: () => partial('3', 'timestamp out of range'),
    });
    log(20);
    await flushAll();
    expect(sink.stats()).toMatchObject({
      accepted: 20,
      delivered: 14,
      dropped: { rejected: 6 },
      queuedEvents: 0,
    });
    const reports = diag.list.filter((d) => d.kind === 'batch-partly-rejected');
    expect(reports).toHaveLength(1);
    expect(String((reports[0].error as Error).message)).toBe('timestamp out of range');
  });

  it('{"partialSuccess":{}} and an empty or non-JSON body are plain success', async () => {
    const answers = [
      { status: 200, body: '{"partialSuccess":{}}' },
      { status: 200, body: '' },
      { status: 204 },
      { status: 200, body: 'rejectedLogRecords, not JSON' },
      partial(0),
    ];
    const { sink, log, flushAll, diag } = setupUpload({
      encoding: 'otlp',
      maxBatchEvents: 2,
      respond: (_call, index) => answers[index],
    });
    log(10);
    await flushAll();
    expect(sink.stats()).toMatchObject({ delivered: 10, dropped: { rejected: 0 } });
    expect(diag.kinds()).not.toContain('batch-partly-rejected');
  });

  it('a count above the batch size rejects the batch, no more', async () => {
    const { sink, log, flushAll } = setupUpload({ encoding: 'otlp', respond: () => partial(99) });
    log(4);
    await flushAll();
    expect(sink.stats()).toMatchObject({ delivered: 0, dropped: { rejected: 4 } });
  });

  it('the rejections of both halves of a 413 split add up', async () => {
    const { sink, log, flushAll } = setupUpload({
      encoding: 'otlp',
      respond: (_call, index) => (index === 0 ? { status: 413 } : partial(1)),
    });
    log(4);
    await flushAll();
    expect(sink.stats()).toMatchObject({ delivered: 2, dropped: { rejected: 2 } });
  });

  it('send() reports the partial success to a buffer in front', async () => {
    const { sink } = setupUpload({ encoding: 'otlp', respond: () => partial('2', 'why') });
    const outcome = await sink.send([makeEvent(1), makeEvent(2), makeEvent(3)]);
    expect(outcome).toMatchObject({ ok: true, rejected: 2 });
    expect((outcome.error as Error).message).toBe('why');
  });
});

describe('a failing endpoint', () => {
  it('404: reported once as batch-rejected with the status, every batch counted', async () => {
    const { sink, log, flushAll, diag } = setupUpload({
      maxBatchEvents: 5,
      respond: () => ({ status: 404 }),
    });
    log(15);
    await flushAll();
    expect(sink.stats()).toMatchObject({ delivered: 0, dropped: { rejected: 15 } });
    const rejected = diag.list.filter((d) => d.kind === 'batch-rejected');
    expect(rejected).toHaveLength(1);
    expect(String(rejected[0].error)).toContain('HTTP 404');
  });

  it('an outage: reported once when the first retry is scheduled, then failed after the retries', async () => {
    const { sink, log, flushAll, diag } = setupUpload({
      maxBatchEvents: 5,
      maxRetries: 2,
      respond: () => ({ status: 503 }),
    });
    log(10);
    await flushAll();
    expect(sink.stats()).toMatchObject({ delivered: 0, retried: 20, dropped: { failed: 10 } });
    expect(diag.kinds().filter((kind) => kind === 'batch-retrying')).toHaveLength(1);
    expect(diag.kinds().filter((kind) => kind === 'batch-failed')).toHaveLength(1);
  });
});

describe('UploadSink options', () => {
  it('an unknown option name is a LogConfigError naming the closest valid one', () => {
    const url = 'https://logs.example.com/v1/logs';
    const make = (options: object) => () => new UploadSink({ url, ...options } as never);
    expect(make({ encodng: 'otlp' })).toThrow(LogConfigError);
    expect(make({ encodng: 'otlp' })).toThrow(/unknown option `encodng`.*did you mean `encoding`/);
    expect(make({ maxRetry: 3 })).toThrow(/did you mean `maxRetries`/);
    expect(make({ exitContentTyp: 'x' })).toThrow(/did you mean `exitContentType`/);
    expect(() => new UploadSink(null as never)).toThrow(LogConfigError);
    expect(() => UploadSink.buildDescriptor({ url, gzipp: true } as never)).toThrow(LogConfigError);
  });

  it('exposes the resolved url and the encoding, read-only', () => {
    const sink = new UploadSink({ url: 'https://logs.example.com/a/../v1/logs', encoding: 'otlp' });
    expect(sink.url).toBe('https://logs.example.com/v1/logs');
    expect(sink.encoding).toBe('otlp');
    expect(new UploadSink({ url: 'https://x.example/' }).encoding).toBe('json');
    // @ts-expect-error -- readonly
    expect(() => (sink.encoding = 'json')).not.toThrow(); // a TS error, not a runtime freeze
  });

  it('exit bodies are application/json for OTLP (a Collector answers text/plain with 415), text/plain for JSON; exitContentType wins', () => {
    const fallbackType = (options: object) => {
      const { sink, fetch, log, page } = setupUpload({ sendBeacon: false, ...options });
      log(2);
      page.pagehide();
      expect(sink.stats().handedOff).toBe(2);
      return fetch.calls[0].headers['Content-Type'];
    };
    expect(fallbackType({ encoding: 'otlp' })).toBe('application/json');
    expect(fallbackType({ encoding: 'json' })).toBe('text/plain');
    expect(fallbackType({ encoding: 'otlp', exitContentType: 'text/plain' })).toBe('text/plain');
  });
});

describe('AsyncLogSink options', () => {
  class Endpoint extends AsyncLogSink {
    static override readonly optionNames = ['endpoint'];
    constructor(options: { endpoint: string; maxBatchEvents?: number }) {
      super(options);
    }
    protected async dispatch(_batch: readonly LogEvent[]) {
      return { ok: true as const };
    }
  }
  class Plain extends AsyncLogSink {
    protected async dispatch(_batch: readonly LogEvent[]) {
      return { ok: true as const };
    }
  }

  it('an unknown name is a LogConfigError; a subclass declares its own names in optionNames', () => {
    expect(() => new Plain({ maxBatchEvent: 5 } as never)).toThrow(/did you mean `maxBatchEvents`/);
    expect(() => new Plain({ endpoint: 'x' } as never)).toThrow(LogConfigError);
    expect(() => new Endpoint({ endpoint: 'x', maxBatchEvents: 5 })).not.toThrow();
    expect(() => new Endpoint({ endpoint: 'x', flushInterval: 5 } as never)).toThrow(
      /did you mean `flushIntervalMs`/,
    );
    expect(() => new Plain('fast' as never)).toThrow(LogConfigError);
  });

  it('optionNames = null: the subclass checked its names itself, the base does not', () => {
    class Resolved extends Plain {
      static override readonly optionNames = null;
    }
    expect(() => new Resolved({ maxBatchEvents: 5, _internal: 1 } as never)).not.toThrow();
    expect(() => new Resolved({ maxBatchEvents: 0 })).toThrow(LogConfigError); // values still checked
  });
});
