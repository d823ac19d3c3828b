import { afterEach, describe, expect, it } from 'vitest';
import {
  AsyncLogSink,
  LogContext,
  type DispatchOutcome,
  type LogEvent,
} from '../../../src/index.js';

// The custom sink from docs/custom-sinks-and-registry.md, verbatim: it must keep working as the docs show it.
class NdjsonSink extends AsyncLogSink {
  constructor(private readonly endpoint: string) {
    super({ maxBatchEvents: 50, flushIntervalMs: 5000 });
  }

  protected async dispatch(batch: readonly LogEvent[]): Promise<DispatchOutcome> {
    const body = batch.map((e) => JSON.stringify(e)).join('\n');
    const res = await fetch(this.endpoint, { method: 'POST', body });
    if (res.ok) return { ok: true };
    if (res.status === 429 || res.status >= 500) return { ok: false, retry: true };
    return { ok: false, retry: false, reason: 'rejected' };
  }
}

const realFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = realFetch;
});

describe('the documented custom AsyncLogSink', () => {
  it('batches and delivers NDJSON on close; its own fields do not disturb the base', async () => {
    const bodies: string[] = [];
    globalThis.fetch = (async (_url: string, init: RequestInit) => {
      bodies.push(String(init.body));
      return new Response(null, { status: 204 });
    }) as typeof fetch;
    const sink = new NdjsonSink('https://logs.example.com/ndjson');
    const log = new LogContext({ namespace: 'docs', sinks: { ndjson: sink } });
    for (let i = 0; i < 120; i++) log.info('hello', { i });
    await sink.close();
    const lines = bodies.flatMap((b) => b.split('\n')).map((l) => JSON.parse(l));
    expect(lines.map((e) => e.payload.i)).toEqual(Array.from({ length: 120 }, (_, i) => i));
    expect(bodies).toHaveLength(3); // 50 + 50 + 20
    expect(sink.stats()).toMatchObject({ accepted: 120, delivered: 120, dropped: { failed: 0 } });
  });
});
