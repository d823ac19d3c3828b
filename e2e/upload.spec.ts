import { expect, test, type APIRequestContext, type BrowserContext } from '@playwright/test';

// UploadSink end to end: the IIFE build in a page, the local collector (demo/server.mjs) counting
// unique event ids and duplicates per `sid`. Every test prints its numbers for the CI log.

interface SinkStats {
  accepted: number;
  delivered: number;
  handedOff: number;
  retried: number;
  dropped: Record<string, number>;
  queuedEvents: number;
  queuedBytes: number;
  inFlight: number;
  exitLeft: number;
  when?: string;
  diagnostics?: string[];
}

declare global {
  interface Window {
    ready?: boolean;
    burst(n: number): SinkStats;
    steady(total: number, ms: number): Promise<SinkStats>;
    logAndFlush(n: number): Promise<{ ms: number; stats: SinkStats; diagnostics: string[] }>;
  }
}

let sidSeq = 0;
const newSid = (name: string) => `${name}-${Date.now()}-${sidSeq++}`;

async function collector(request: APIRequestContext, sid: string) {
  const res = await request.get(`/stats?sid=${sid}`);
  return (await res.json()) as { unique: number; duplicates: number; requests: number };
}

/** The sink stats the page reported on exit (the last report, normally `hidden`). */
async function exitStats(request: APIRequestContext, sid: string): Promise<SinkStats> {
  let last: SinkStats | undefined;
  await expect
    .poll(
      async () => {
        const events = (await (await request.get(`/events?sid=${sid}-stats`)).json()) as {
          stats: SinkStats;
        }[];
        last = events.at(-1)?.stats;
        return last?.when;
      },
      { timeout: 5000 },
    )
    .toBe('hidden');
  return last!;
}

async function openPage(context: BrowserContext, query: string) {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`/e2e/upload.html?${query}`);
  await page.waitForFunction(() => window.ready === true);
  return { page, errors };
}

/** Logs a burst of `n` and closes the page at once; returns what arrived and what the sink said. */
async function burstAndClose(
  context: BrowserContext,
  request: APIRequestContext,
  encoding: string,
  n: number,
  exitOnly: boolean,
) {
  const sid = newSid(`burst-${encoding}-${n}`);
  const { page } = await openPage(
    context,
    `sid=${sid}&encoding=${encoding}&exitOnly=${exitOnly ? 1 : 0}`,
  );
  const before = await page.evaluate((count) => window.burst(count), n);
  await page.close();
  const s = await exitStats(request, sid);
  const expected = n - s.exitLeft;
  console.log(
    `  burst ${encoding} n=${n}${exitOnly ? ' exitOnly' : ''}: handed off ${s.handedOff}, ` +
      `delivered ${s.delivered}, in flight ${s.inFlight}, left ${s.exitLeft}`,
  );
  await expect
    .poll(async () => (await collector(request, sid)).unique, { timeout: 5000 })
    .toBe(expected);
  const c = await collector(request, sid);
  return {
    n,
    unique: c.unique,
    duplicates: c.duplicates,
    stats: s,
    bytesPerEvent: before.queuedBytes / n,
  };
}

test.describe('UploadSink e2e', () => {
  test('steady logging then page.close(): every event arrives (json and otlp)', async ({
    context,
    request,
  }) => {
    for (const encoding of ['json', 'otlp']) {
      const sid = newSid(`steady-${encoding}`);
      const { page, errors } = await openPage(context, `sid=${sid}&encoding=${encoding}`);
      const total = 3000;
      await page.evaluate((t) => window.steady(t, 2500), total);
      await page.close();
      await expect
        .poll(async () => (await collector(request, sid)).unique, { timeout: 10_000 })
        .toBe(total);
      const c = await collector(request, sid);
      const s = await exitStats(request, sid);
      console.log(
        `steady ${encoding}: logged ${total}, unique ${c.unique}, duplicates ${c.duplicates}, ` +
          `requests ${c.requests}; at exit: delivered ${s.delivered}, in flight ${s.inFlight}, ` +
          `handed off ${s.handedOff}, left ${s.exitLeft}`,
      );
      expect(errors).toEqual([]);
      expect(s.exitLeft).toBe(0);
    }
  });

  test('burst then immediate close: all arrive within the exit budget; beyond it the stats count exactly what was left', async ({
    context,
    request,
  }) => {
    for (const encoding of ['json', 'otlp']) {
      // Binary search for the largest burst the exit path hands off completely (exitOnly: no
      // request leaves before the page does, so only the keepalive budget decides).
      let ok = 1;
      let bad = 4000;
      let perEvent = 0;
      while (bad - ok > 1) {
        const n = Math.floor((ok + bad) / 2);
        const r = await burstAndClose(context, request, encoding, n, true);
        perEvent = r.bytesPerEvent;
        expect(r.duplicates).toBe(0);
        expect(r.unique).toBe(n - r.stats.exitLeft); // exact accounting on both sides
        expect(r.stats.handedOff).toBe(n - r.stats.exitLeft);
        if (r.stats.exitLeft === 0) ok = n;
        else bad = n;
      }
      const over = await burstAndClose(context, request, encoding, ok + 200, true);
      console.log(
        `exit budget limit ${encoding}: ${ok} events of ~${perEvent.toFixed(0)} bytes ` +
          `(~${((ok * perEvent) / 1024).toFixed(1)} KiB) all handed off; ${ok + 200} → ` +
          `${over.unique} arrived, ${over.stats.exitLeft} counted as not handed off`,
      );
      expect(over.unique + over.stats.exitLeft).toBe(ok + 200);
      expect(over.stats.exitLeft).toBeGreaterThan(0);
      // With default options (batches may already be on their way with keepalive) the accounting
      // stays exact: what arrives is everything minus what the stats say was left.
      const real = await burstAndClose(context, request, encoding, 1500, false);
      console.log(
        `burst 1500 ${encoding} (defaults): ${real.unique} arrived, duplicates ${real.duplicates}, ` +
          `left ${real.stats.exitLeft}, handed off ${real.stats.handedOff}, delivered ${real.stats.delivered}, in flight ${real.stats.inFlight}`,
      );
      expect(real.unique).toBe(1500 - real.stats.exitLeft);
    }
  });

  test('cross-origin collector (CORS preflight, gzip, OTLP) and a text/plain exit beacon', async ({
    context,
    request,
  }) => {
    const sid = newSid('cross');
    const { page, errors } = await openPage(context, `sid=${sid}&encoding=otlp&gzip=1&cross=1`);
    const r = await page.evaluate(() => window.logAndFlush(150));
    await page.evaluate(() => window.burst(30));
    await page.close();
    await expect
      .poll(async () => (await collector(request, sid)).unique, { timeout: 5000 })
      .toBe(180);
    const c = (await collector(request, sid)) as unknown as {
      duplicates: number;
      byContentType: Record<string, number>;
    };
    console.log(
      `cross-origin: delivered ${r.stats.delivered} by fetch, then 30 on exit; content types ${JSON.stringify(c.byContentType)}, duplicates ${c.duplicates}`,
    );
    expect(r.stats.delivered).toBe(150);
    expect(c.byContentType['text/plain']).toBeGreaterThan(0); // the beacon needed no preflight
    expect(c.duplicates).toBe(0);
    expect(errors).toEqual([]);
  });

  test('collector answers 500 then 200: all delivered once', async ({ context, request }) => {
    const sid = newSid('fail500');
    await request.post(`/fault?sid=${sid}`, { data: { mode: 'failFirst', count: 1, status: 500 } });
    const { page, errors } = await openPage(context, `sid=${sid}&retryBaseMs=100`);
    const r = await page.evaluate(() => window.logAndFlush(50));
    const c = await collector(request, sid);
    console.log(
      `500→200: delivered ${r.stats.delivered}, retried ${r.stats.retried}, requests ${c.requests}, unique ${c.unique}, duplicates ${c.duplicates}`,
    );
    expect(r.stats).toMatchObject({ delivered: 50, retried: 50 });
    expect(c).toMatchObject({ unique: 50, duplicates: 0, requests: 2 });
    expect(errors).toEqual([]);
    await page.close();
  });

  test('429 with Retry-After: 1 is delivered after the wait', async ({ context, request }) => {
    const sid = newSid('retry-after');
    await request.post(`/fault?sid=${sid}`, {
      data: { mode: 'failFirst', count: 1, status: 429, retryAfter: 1 },
    });
    const { page } = await openPage(context, `sid=${sid}&retryBaseMs=50`);
    const r = await page.evaluate(() => window.logAndFlush(20));
    const c = await collector(request, sid);
    console.log(
      `429 Retry-After 1: flush took ${r.ms} ms, delivered ${r.stats.delivered}, unique ${c.unique}`,
    );
    expect(r.ms).toBeGreaterThanOrEqual(1000);
    expect(r.ms).toBeLessThan(3000);
    expect(r.stats.delivered).toBe(20);
    expect(c).toMatchObject({ unique: 20, duplicates: 0, requests: 2 });
    await page.close();
  });

  test('collector down: counted as failed after the retries, nothing thrown', async ({
    context,
    request,
  }) => {
    const sid = newSid('down');
    await request.post(`/fault?sid=${sid}`, { data: { mode: 'down' } });
    const { page, errors } = await openPage(
      context,
      `sid=${sid}&retryBaseMs=50&retryMaxMs=200&maxRetries=3`,
    );
    const r = await page.evaluate(() => window.logAndFlush(25));
    console.log(
      `collector down: failed ${r.stats.dropped.failed}, retried ${r.stats.retried}, flush ${r.ms} ms, diagnostics ${JSON.stringify(r.diagnostics)}`,
    );
    expect(r.stats.dropped.failed).toBe(25);
    expect(r.stats.delivered).toBe(0);
    expect(r.stats.retried).toBe(75);
    expect(errors).toEqual([]);
    expect(r.diagnostics.some((d) => d.startsWith('batch-failed'))).toBe(true);
    await page.close();
  });
});
