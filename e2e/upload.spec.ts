import type { APIRequestContext } from '@playwright/test';
import type { Engine, GotoOptions, Tab } from './driver/index.js';
import { expect, test } from './fixtures.js';

// UploadSink end to end: the IIFE build in a page, the local collector (demo/server.mjs) counting
// unique event ids and duplicates per `sid`. Every test prints its numbers for the CI log.

/** One line for the CI log, with the engine's name. */
const say = (text: string) =>
  console.log(`[upload e2e] ${test.info().project.name} ${text.trim()}`);

type OpenTab = (url?: string, options?: GotoOptions) => Promise<Tab>;

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
  when: string;
  seq: number;
  diagnostics: string[];
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

/** What a test waits for a delivery or a report to arrive: generous, for a loaded machine. */
const ARRIVAL_MS = 30_000;

/** An empty page of the origin, to read what closed pages left in localStorage. */
const openProbe = (openTab: OpenTab) => openTab('/e2e/storage-probe.html');

/** Every stats report of the page so far (beacons that arrived and its localStorage), by `seq`. */
async function statsReports(request: APIRequestContext, probe: Tab, sid: string) {
  const beacons = (
    (await (await request.get(`/events?sid=${sid}-stats`)).json()) as { stats: SinkStats }[]
  ).map((event) => event.stats);
  const stored = await probe.evaluate((key) => localStorage.getItem(key), `upload-stats-${sid}`);
  const all = [...beacons, ...(stored ? (JSON.parse(stored) as SinkStats[]) : [])];
  return [...new Map(all.map((report) => [report.seq, report])).values()].sort(
    (a, b) => a.seq - b.seq,
  );
}

/**
 * The sink stats after the page's last exit hand-off: the page reports on `pagehide` and on
 * `hidden` (each after the sink's own listener; `hidden` comes last when the driver closes a tab),
 * by beacon and in localStorage, which the test reads when the beacon is late or refused. The
 * `pagehide` report may be missing in Firefox (see {@link allowedExitDuplicates}). Without a
 * `hidden` report after 30 s (seen once in Chromium on a loaded machine) the latest one is used:
 * the exact arrival check then fails if the `hidden` hand-off changed anything.
 */
async function exitStats(request: APIRequestContext, probe: Tab, sid: string): Promise<SinkStats> {
  let reports: SinkStats[] = [];
  const hidden = await expect
    .poll(
      async () => {
        reports = await statsReports(request, probe, sid);
        return reports.map((report) => report.when);
      },
      { timeout: ARRIVAL_MS, message: `the hidden stats report of ${sid}` },
    )
    .toContain('hidden')
    .then(
      () => true,
      () => false,
    );
  expect(reports.length, `a stats report of ${sid}`).toBeGreaterThan(0);
  if (!hidden) {
    test.info().annotations.push({
      type: 'missing report',
      description: `${sid}: no hidden stats report; used the ${reports.at(-1)!.when} one`,
    });
  }
  return reports.at(-1)!;
}

/**
 * Waits up to 10 s for `expected` unique events of `sid`, then requires at least `minimum`
 * (and never more than `expected`); records the shortfall.
 */
async function arrivedAtLeast(
  request: APIRequestContext,
  sid: string,
  minimum: number,
  expected: number,
) {
  await expect
    .poll(async () => (await collector(request, sid)).unique, { timeout: 10_000 })
    .toBe(expected)
    .catch(() => undefined);
  const counts = await collector(request, sid);
  test.info().annotations.push({
    type: 'exit listener cut off',
    description: `${sid}: ${counts.unique} of ${expected} arrived (at least ${minimum} required)`,
  });
  expect(counts.unique).toBeGreaterThanOrEqual(minimum);
  expect(counts.unique).toBeLessThanOrEqual(expected);
  return counts;
}

/** Waits until the collector has `expected` unique events of `sid`; returns its counts. */
async function arrived(request: APIRequestContext, sid: string, expected: number) {
  await expect
    .poll(async () => (await collector(request, sid)).unique, {
      timeout: ARRIVAL_MS,
      message: `${expected} unique events of ${sid} at the collector`,
    })
    .toBe(expected);
  return collector(request, sid);
}

async function openPage(openTab: OpenTab, query: string) {
  const page = await openTab(`/e2e/upload.html?${query}`);
  await page.waitFor(() => window.ready === true);
  return { page, errors: () => page.pageErrors() };
}

/**
 * Whether the page's own exit stats reports can be relied on. Not in Firefox: closing a tab over
 * WebDriver BiDi interrupts one of the page's exit listeners (the sink's or the reporter's),
 * `localStorage` throws in the closing page, and its beacons are refused once Firefox's keepalive
 * limit (which also counts earlier pages' requests) is used up. Records the skipped step.
 */
function exitReportsReliable(engine: Engine, step: string): boolean {
  if (engine.name !== 'firefox') return true;
  const description = `firefox: skipped step "${step}" (exit stats reports unreliable when the driver closes the tab)`;
  test.info().annotations.push({ type: 'skipped step', description });
  return false;
}

/**
 * Duplicates a closed page may cause. None, except in Firefox: closing a tab over WebDriver BiDi
 * interrupts one of the page's running exit listeners (measured: about 1 close in 4, always in
 * the `pagehide` phase). When that is the sink's, after its beacon left but before it counted the
 * hand-off, the `hidden` hand-off sends the same events again: at-least-once, never a loss, at
 * most what was handed off.
 */
function allowedExitDuplicates(engine: Engine, handedOff: number): number {
  if (engine.name !== 'firefox') return 0;
  test.info().annotations.push({
    type: 'engine behaviour',
    description:
      'firefox: a driver-closed tab interrupts one exit listener; up to one exit hand-off may be re-sent',
  });
  return handedOff;
}

/**
 * What must arrive after the page closed: everything accepted minus what the stats count as left,
 * minus, when the sink reported it, an in-flight batch sent without keepalive that the exit could
 * not re-send (it dies with the page; `inFlight` still counts it). Seen in Firefox, whose keepalive
 * limit also counts earlier pages' requests, so a batch went without keepalive.
 */
function expectedArrivals(stats: SinkStats): number {
  const lostInFlight = stats.diagnostics.some((d) => d.includes('in-flight batch not re-sent'))
    ? stats.inFlight
    : 0;
  if (lostInFlight) {
    test.info().annotations.push({
      type: 'reported loss',
      description: `${lostInFlight} events of an unprotected in-flight batch, reported as exit-incomplete`,
    });
  }
  return stats.accepted - stats.exitLeft - lostInFlight;
}

/** Logs a burst of `n` and closes the page at once; returns what arrived and what the sink said. */
async function burstAndClose(
  openTab: OpenTab,
  probe: Tab,
  request: APIRequestContext,
  encoding: string,
  n: number,
  exitOnly: boolean,
) {
  const sid = newSid(`burst-${encoding}-${n}`);
  const { page } = await openPage(
    openTab,
    `sid=${sid}&encoding=${encoding}&exitOnly=${exitOnly ? 1 : 0}`,
  );
  const before = await page.evaluate((count) => window.burst(count), n);
  await page.close();
  const s = await exitStats(request, probe, sid);
  expect(s.accepted, 'every event of the burst accepted (no storm protection)').toBe(n);
  const reports = await statsReports(request, probe, sid);
  const expected = expectedArrivals(s);
  // The sink's pagehide listener was cut off (Firefox closing a tab over BiDi interrupts one exit
  // listener): its beacon may have left uncounted, so the hidden hand-off re-sent those events and
  // part of it may have been refused by the browser's keepalive limit. Then at least everything
  // but that hand-off must arrive.
  const pagehide = reports.find((report) => report.when === 'pagehide');
  const cutOff =
    !!pagehide && pagehide.queuedEvents > 0 && pagehide.exitLeft === 0 && pagehide.handedOff === 0;
  const c = await (
    cutOff
      ? arrivedAtLeast(request, sid, expected - s.handedOff, expected)
      : arrived(request, sid, expected)
  ).catch((error: unknown) => {
    throw new Error(`${String(error)}\nstats reports: ${JSON.stringify(reports)}`);
  });
  say(
    `  burst ${encoding} n=${n}${exitOnly ? ' exitOnly' : ''}: handed off ${s.handedOff}, ` +
      `delivered ${s.delivered}, in flight ${s.inFlight}, left ${s.exitLeft}, retried ${s.retried}; ` +
      `arrived ${c.unique}, duplicates ${c.duplicates}`,
  );
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
    engine,
    openTab,
    request,
  }) => {
    // Firefox (open finding): after earlier pages closed with keepalive requests in flight, it
    // refuses this page's keepalive requests; the normal path then stalls for the 1 s hold, and
    // on a loaded machine up to ~8% of a steady OTLP stream was still queued beyond the exit
    // budget at close (2765 of 3000 arrived). Not yet deterministic there.
    test.skip(
      engine.name === 'firefox',
      'firefox: keepalive refusals after earlier pages make the close-time delivery load-dependent (open finding)',
    );
    test.setTimeout(120_000);
    const probe = await openProbe(openTab);
    for (const encoding of ['json', 'otlp']) {
      const sid = newSid(`steady-${encoding}`);
      const { page, errors } = await openPage(openTab, `sid=${sid}&encoding=${encoding}`);
      const total = 3000;
      await page.evaluate((t) => window.steady(t, 2500), total);
      const pageErrors = await errors();
      await page.close();
      const c = await arrived(request, sid, total);
      say(
        `steady ${encoding}: logged ${total}, unique ${c.unique}, duplicates ${c.duplicates}, ` +
          `requests ${c.requests}`,
      );
      expect(pageErrors).toEqual([]);
      if (exitReportsReliable(engine, 'exit stats of the steady page')) {
        const s = await exitStats(request, probe, sid);
        say(
          `steady ${encoding} at exit: delivered ${s.delivered}, in flight ${s.inFlight}, ` +
            `handed off ${s.handedOff}, left ${s.exitLeft}`,
        );
        expect(s.exitLeft).toBe(0);
      }
    }
  });

  test('burst then immediate close: all arrive within the exit budget; beyond it the stats count exactly what was left', async ({
    engine,
    openTab,
    request,
  }) => {
    test.skip(
      !exitReportsReliable(engine, 'exact exit accounting (the whole test)'),
      'firefox: exit stats reports are not reliable when the driver closes the tab',
    );
    test.setTimeout(180_000);
    const probe = await openProbe(openTab);
    for (const encoding of ['json', 'otlp']) {
      // exitOnly: no request leaves before the page does, so only the keepalive budget decides.
      // 100 events fit the budget in either encoding (about 440 JSON or 180 OTLP events do).
      const small = await burstAndClose(openTab, probe, request, encoding, 100, true);
      expect(small.stats.exitLeft).toBe(0);
      expect(small.stats.handedOff).toBe(100);
      expect(small.unique).toBe(100);
      expect(small.duplicates).toBeLessThanOrEqual(allowedExitDuplicates(engine, 100));
      // Far beyond the budget (below the storm protection's 3,000 per minute): what was handed
      // off arrives, the rest is counted as left.
      const over = await burstAndClose(openTab, probe, request, encoding, 2500, true);
      say(
        `exit budget ${encoding}: ${over.stats.handedOff} of 2500 events of ` +
          `~${over.bytesPerEvent.toFixed(0)} bytes ` +
          `(~${((over.stats.handedOff * over.bytesPerEvent) / 1024).toFixed(1)} KiB) handed off; ` +
          `${over.unique} arrived, ${over.stats.exitLeft} counted as not handed off, ` +
          `duplicates ${over.duplicates}`,
      );
      expect(over.stats.exitLeft).toBeGreaterThan(0);
      expect(over.stats.handedOff).toBeGreaterThan(100);
      expect(over.unique).toBe(over.stats.handedOff); // exact accounting on both sides
      expect(over.unique + over.stats.exitLeft).toBe(2500);
      expect(over.duplicates).toBeLessThanOrEqual(
        allowedExitDuplicates(engine, over.stats.handedOff),
      );
      // With default options (batches may already be on their way with keepalive) the accounting
      // stays exact: what arrives is everything minus what the stats say was left.
      const real = await burstAndClose(openTab, probe, request, encoding, 1500, false);
      say(
        `burst 1500 ${encoding} (defaults): ${real.unique} arrived, duplicates ${real.duplicates}, ` +
          `left ${real.stats.exitLeft}, handed off ${real.stats.handedOff}, delivered ${real.stats.delivered}, in flight ${real.stats.inFlight}`,
      );
      expect(real.unique).toBeLessThanOrEqual(1500 - real.stats.exitLeft); // exact: burstAndClose
    }
  });

  test('cross-origin collector (CORS preflight, gzip, OTLP): normal path and exit requests (application/json, preflighted)', async ({
    engine,
    openTab,
    request,
  }) => {
    const probe = await openProbe(openTab);
    const sid = newSid('cross');
    const { page, errors } = await openPage(openTab, `sid=${sid}&encoding=otlp&gzip=1&cross=1`);
    const r = await page.evaluate(() => window.logAndFlush(150));
    await page.evaluate(() => window.burst(30));
    const pageErrors = await errors();
    await page.close();
    const s = exitReportsReliable(engine, 'exit stats of the cross-origin page')
      ? await exitStats(request, probe, sid)
      : undefined;
    const c = (await arrived(request, sid, 180 - (s?.exitLeft ?? 0))) as unknown as {
      duplicates: number;
      byContentType: Record<string, number>;
    };
    say(
      `cross-origin: delivered ${r.stats.delivered} by fetch, then 30 on exit (handed off ` +
        `${s?.handedOff}, left ${s?.exitLeft}); content types ${JSON.stringify(c.byContentType)}, ` +
        `duplicates ${c.duplicates}, diagnostics ${JSON.stringify(s?.diagnostics)}`,
    );
    expect(r.stats.delivered).toBe(150);
    expect(s?.exitLeft ?? 0).toBe(0);
    expect(c.byContentType['application/json']).toBeGreaterThan(1); // the exit request too
    if (test.info().project.name === 'firefox') {
      // Known gap (issue 11): in Firefox ESR, closing the tab over WebDriver BiDi interrupts one
      // page exit listener in about 1 close of 4; when it is the sink's, its exit request has
      // left but is not recorded, and the 30 events go again (seen once in CI, 2026-12-07).
      const description = `firefox: ${c.duplicates} duplicates (at most the one exit batch)`;
      test.info().annotations.push({ type: 'known gap', description });
      expect(c.duplicates).toBeLessThanOrEqual(30);
    } else expect(c.duplicates).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  test('collector answers 500 then 200: all delivered once', async ({ openTab, request }) => {
    const sid = newSid('fail500');
    await request.post(`/fault?sid=${sid}`, { data: { mode: 'failFirst', count: 1, status: 500 } });
    const { page, errors } = await openPage(openTab, `sid=${sid}&retryBaseMs=100`);
    const r = await page.evaluate(() => window.logAndFlush(50));
    const c = await collector(request, sid);
    say(
      `500→200: delivered ${r.stats.delivered}, retried ${r.stats.retried}, requests ${c.requests}, unique ${c.unique}, duplicates ${c.duplicates}`,
    );
    expect(r.stats).toMatchObject({ delivered: 50, retried: 50 });
    expect(c).toMatchObject({ unique: 50, duplicates: 0, requests: 2 });
    expect(await errors()).toEqual([]);
    await page.close();
  });

  test('429 with Retry-After: 1 is delivered after the wait', async ({ openTab, request }) => {
    const sid = newSid('retry-after');
    await request.post(`/fault?sid=${sid}`, {
      data: { mode: 'failFirst', count: 1, status: 429, retryAfter: 1 },
    });
    const { page } = await openPage(openTab, `sid=${sid}&retryBaseMs=50`);
    const r = await page.evaluate(() => window.logAndFlush(20));
    const c = await collector(request, sid);
    say(
      `429 Retry-After 1: flush took ${r.ms} ms, delivered ${r.stats.delivered}, unique ${c.unique}`,
    );
    expect(r.ms).toBeGreaterThanOrEqual(1000);
    expect(r.ms).toBeLessThan(8000); // not the exponential backoff (or a hang), with room for load
    expect(r.stats.delivered).toBe(20);
    expect(c).toMatchObject({ unique: 20, duplicates: 0, requests: 2 });
    await page.close();
  });

  test('collector down: counted as failed after the retries, nothing thrown', async ({
    openTab,
    request,
  }) => {
    const sid = newSid('down');
    await request.post(`/fault?sid=${sid}`, { data: { mode: 'down' } });
    const { page, errors } = await openPage(
      openTab,
      `sid=${sid}&retryBaseMs=50&retryMaxMs=200&maxRetries=3`,
    );
    const r = await page.evaluate(() => window.logAndFlush(25));
    say(
      `collector down: failed ${r.stats.dropped.failed}, retried ${r.stats.retried}, flush ${r.ms} ms, diagnostics ${JSON.stringify(r.diagnostics)}`,
    );
    expect(r.stats.dropped.failed).toBe(25);
    expect(r.stats.delivered).toBe(0);
    expect(r.stats.retried).toBe(75);
    expect(await errors()).toEqual([]);
    expect(r.diagnostics.some((d) => d.startsWith('batch-failed'))).toBe(true);
    await page.close();
  });
});
