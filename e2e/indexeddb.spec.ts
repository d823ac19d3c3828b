import { test, expect } from './fixtures.js';
import {
  collectorStats,
  droppedTotal,
  expectDelivered,
  keys,
  newSid,
  openApp,
  report,
  setFault,
  sinkStats,
} from './indexeddbHelpers.js';

type Win = Window & { previousExit: any; sinkStats(): any; diagnostics: string[] };

// E2E_REPEATS runs the delivery scenarios more often (the README's per-engine table).
const REPEATS = Number(process.env.E2E_REPEATS ?? 1);

test('2 000 events logged right before the tab closes all arrive after reopening', async ({
  openTab,
  request,
}) => {
  const sid = newSid('close');
  const page = await openTab();
  // probe=1: the page notes each drain upload in localStorage (started, answered, before or after
  // pagehide), so a duplicate batch can be told apart: in flight when the page died, or answered
  // after pagehide with a deletion that did not commit before the page was gone.
  await openApp(page, `sid=${sid}&n=2000&run=a&probe=1`); // logged synchronously by the page's script
  await page.close(); // at once: most events are still queued or being written
  const again = await openTab();
  await openApp(again, `sid=${sid}`);
  const exit = await again.evaluate(() => (window as unknown as Win).previousExit);
  const uploads = JSON.parse(
    (await again.evaluate((k) => localStorage.getItem(k), `e2e-probe:${sid}`)) ?? '[]',
  ) as { page: string; ok?: boolean; afterHide: boolean }[];
  const closed = uploads.filter((u) => u.page === uploads[0]?.page); // the closed page's uploads
  const answers = closed.filter((u) => u.ok !== undefined);
  const stats = await expectDelivered(request, sid, keys('a', 2000));
  const replayed = (await sinkStats(again)).replayed;
  report('close-immediately', {
    logged: 2000,
    delivered: stats.unique,
    duplicates: stats.duplicates,
    dropped: droppedTotal(exit),
    atExit: exit && { stored: exit.delivered, handedOff: exit.handedOff, spilled: exit.spilled },
    replayedFromSpill: replayed,
    uploadsOfClosedPage: closed.length - answers.length,
    unansweredAtClose: closed.length - 2 * answers.length,
    answeredAfterPagehide: answers.filter((u) => u.afterHide).length,
  });
  expect(droppedTotal(exit)).toBe(0);
  // The one documented source of duplicates: the drainer's upload in flight when the tab closed
  // reached the collector, but its deletion never committed. At most one drain batch (100).
  expect(stats.duplicates).toBeLessThanOrEqual(100);
});

// Issue 10.4: in WebKit a page that navigates away in the same tab goes into the back/forward
// cache while the sink's transaction runs; the next page's transactions on the database used to
// hang. Every engine runs it; WebKit is the one that found it.
test('2 000 events, navigate away at once in the same tab, come back: all arrive within 30 s (5 runs)', async ({
  openTab,
  request,
}) => {
  test.setTimeout(60_000 + 5 * REPEATS * 40_000);
  const tab = await openTab();
  const results: string[] = [];
  for (let run = 0; run < 5 * REPEATS; run++) {
    const sid = newSid(`navigate-${run}`);
    await openApp(tab, `sid=${sid}&n=2000&run=n`);
    await tab.goto('/e2e/console-iife.html'); // another page of the same app, same tab, at once
    await openApp(tab, `sid=${sid}`); // the app again: a fresh load on the same database
    const stats = await expectDelivered(request, sid, keys('n', 2000), 30_000);
    results.push(`${stats.unique}/${stats.duplicates}`);
    expect(stats.duplicates).toBeLessThanOrEqual(100);
  }
  report('navigate-away-and-back', { runs: results.length, 'delivered/duplicates': results });
});

test('collector answering 503 across five page loads: all 5 000 arrive once it is back', async ({
  tab,
  request,
}) => {
  const sid = newSid('503');
  await setFault(request, sid, { mode: 'status', status: 503 });
  const dropped: number[] = [];
  for (let load = 0; load < 5; load++) {
    await openApp(tab, `sid=${sid}&n=1000&run=L${load}`); // navigating away is the previous exit
    // The app has seen its collector refuse once. Before any upload of a database was answered, a
    // drain upload in flight at exit is counted as handed off (as a beacon would be), so if the
    // collector refuses that very request its batch is lost: the documented limit ("had never
    // answered before", docs/sinks-and-delivery.md), measured in Firefox in 1 of 6 runs.
    if (load === 0)
      await tab.waitFor(() => (window as unknown as Win).sinkStats().drainFailures >= 1);
    dropped.push(droppedTotal(await tab.evaluate(() => (window as unknown as Win).previousExit)));
  }
  await expect
    .poll(async () => (await collectorStats(request, sid)).rejected, { timeout: 10_000 })
    .toBeGreaterThan(0); // uploads were attempted and refused
  expect((await collectorStats(request, sid)).unique).toBe(0);
  await setFault(request, sid, { mode: 'ok' });
  await openApp(tab, `sid=${sid}`); // the app is opened again
  dropped.push(droppedTotal(await tab.evaluate(() => (window as unknown as Win).previousExit)));
  const expected = [0, 1, 2, 3, 4].flatMap((l) => keys(`L${l}`, 1000));
  const stats = await expectDelivered(request, sid, expected);
  report('503-over-reloads', {
    logged: 5000,
    delivered: stats.unique,
    duplicates: stats.duplicates,
    dropped: dropped.reduce((a, b) => a + b, 0),
    refusedRequests: stats.rejected,
  });
  expect(dropped.every((d) => d === 0)).toBe(true);
});

test('collector failing every third request: no loss', async ({ tab, request }) => {
  const sid = newSid('fail3');
  await setFault(request, sid, { mode: 'failEvery', every: 3 });
  await openApp(tab, `sid=${sid}`);
  for (let burst = 0; burst < 6; burst++) {
    await tab.evaluate((b) => (window as any).logRange(b * 500, (b + 1) * 500, 'f'), burst);
    // Spread the bursts over several drains: wait until this one is written to IndexedDB.
    await tab.waitFor(
      (total) => (window as any).sinkStats().delivered >= total,
      (burst + 1) * 500,
      { timeout: 20_000 },
    );
  }
  const stats = await expectDelivered(request, sid, keys('f', 3000));
  const sink = await sinkStats(tab);
  report('fail-every-third', {
    logged: 3000,
    delivered: stats.unique,
    duplicates: stats.duplicates,
    dropped: droppedTotal(sink),
    requests: stats.requests,
    failedRequests: stats.rejected,
  });
  expect(droppedTotal(sink)).toBe(0);
  expect(stats.rejected).toBeGreaterThan(0);
});
