import type { APIRequestContext } from '@playwright/test';
import type { Tab } from './driver/index.js';
import { expect, test } from './fixtures.js';
import {
  collectorStats,
  deliveredKeys,
  droppedTotal,
  keys,
  newSid,
  openApp,
  report,
  setFault,
  sinkStats,
} from './indexeddbHelpers.js';

// Issue 11 "numbers in the tests": each scenario runs E2E_REPEATS times (default 1; the README's
// table comes from E2E_REPEATS=10 per engine) and asserts, for every run, that every event arrived
// and that duplicates stay within 0.1% of the events logged (at most 2 of 2,000). The numbers of
// all runs are printed (one `[indexeddb e2e] <engine> <scenario>:` line) before anything is
// asserted, so a failing run still leaves its table in the log.
const REPEATS = Math.max(1, Number(process.env.E2E_REPEATS ?? 1));
/** Upper bound for one run's delivery on a loaded 2-core machine (a condition is waited for). */
const DELIVERY_TIMEOUT_MS = 120_000;

interface Run {
  expected: number;
  delivered: number;
  missing: number;
  duplicates: number;
  /** Events the closed page(s) counted as dropped at exit. */
  dropped: number;
  /** What the closed page(s) did at exit, summed: written, handed off, spilled; replayed after. */
  exit?: string;
}

type ExitStats = {
  delivered: number;
  handedOff: number;
  spilled: number;
  dropped: Record<string, number>;
  diagnostics?: string[];
} | null;

/** One closed page's exit, for the report. */
const exitSummary = (exits: ExitStats[], replayed: number) =>
  `stored:${exits.map((e) => e?.delivered ?? '?').join('+')},handedOff:${exits.map((e) => e?.handedOff ?? '?').join('+')},spilled:${exits.map((e) => e?.spilled ?? '?').join('+')},replayed:${replayed}${exits
    .flatMap((e) => e?.diagnostics ?? [])
    .map((d) => `,${d}`)
    .join('')}`;

/** The exit stats a closed page of tab label `label` wrote (see e2e/public/idb.js). */
const exitStats = (tab: Tab, sid: string, label: string): Promise<ExitStats> =>
  tab.evaluate(
    (key) => JSON.parse(localStorage.getItem(key) ?? 'null'),
    `e2e-exit:${sid}:${label}`,
  );

/**
 * Waits (bounded) until the collector has every expected event and `drainer`'s buffer is empty
 * (nothing left to send, so no later duplicate), then measures. Never throws: the run is judged
 * after all runs are reported.
 */
async function measure(
  request: APIRequestContext,
  sid: string,
  expected: string[],
  drainer: Tab,
): Promise<Omit<Run, 'dropped'>> {
  const deadline = Date.now() + DELIVERY_TIMEOUT_MS;
  await expect
    .poll(
      async () =>
        (await collectorStats(request, sid)).unique >= expected.length &&
        (await sinkStats(drainer)).storedEvents === 0,
      { timeout: DELIVERY_TIMEOUT_MS, intervals: [100, 250, 500] },
    )
    .toBe(true)
    .catch(() => undefined);
  // A batch uploaded while the buffer already read empty is answered within this bound.
  await expect
    .poll(async () => (await sinkStats(drainer)).storedEvents, {
      timeout: Math.max(1000, deadline - Date.now()),
    })
    .toBe(0)
    .catch(() => undefined);
  const stats = await collectorStats(request, sid);
  const got = new Set(await deliveredKeys(request, sid));
  return {
    expected: expected.length,
    delivered: expected.filter((key) => got.has(key)).length,
    missing: expected.filter((key) => !got.has(key)).length,
    duplicates: stats.duplicates,
  };
}

/** Reports every run, then asserts: all delivered, duplicates ≤ 0.1%, nothing dropped. */
function judge(scenario: string, runs: Run[]) {
  const sum = (field: 'expected' | 'delivered' | 'duplicates' | 'dropped') =>
    runs.reduce((total, run) => total + run[field], 0);
  report(scenario, {
    runs: runs.length,
    delivered: `${sum('delivered')}/${sum('expected')}`,
    duplicates: sum('duplicates'),
    maxDuplicatesInARun: Math.max(...runs.map((run) => run.duplicates)),
    runsWithDuplicates: runs.filter((run) => run.duplicates > 0).length,
    dropped: sum('dropped'),
    'perRun(delivered/duplicates)': runs.map((run) => `${run.delivered}/${run.duplicates}`),
    exits: runs.map((run) => run.exit),
  });
  for (const [i, run] of runs.entries()) {
    const what = `${scenario} run ${i + 1} of ${runs.length}`;
    expect(run.missing, `${what}: missing events`).toBe(0);
    expect(run.duplicates, `${what}: duplicates`).toBeLessThanOrEqual(
      Math.floor(run.expected / 1000),
    );
    expect(run.dropped, `${what}: dropped at exit`).toBe(0);
  }
}

/** Logs `n` events at load, closes the tab at once, drains from a new tab; one run. */
async function closeAtOnce(
  openTab: (url?: string) => Promise<Tab>,
  request: APIRequestContext,
  label: string,
  n: number,
): Promise<Run> {
  const sid = newSid(`${label}-${n}`);
  const page = await openTab();
  await openApp(page, `sid=${sid}&n=${n}&run=a`); // logged synchronously by the page's script
  await page.close(); // at once: most events are still queued or being written
  const again = await openTab();
  await openApp(again, `sid=${sid}`);
  const exit = await again.evaluate(() => (window as any).previousExit);
  const run = await measure(request, sid, keys('a', n), again);
  const replayed = (await sinkStats(again)).replayed;
  await again.close();
  return { ...run, dropped: droppedTotal(exit), exit: exitSummary([exit], replayed) };
}

test('close at once with 2,000 events: all arrive, duplicates ≤ 0.1%', async ({
  openTab,
  request,
}) => {
  test.setTimeout(60_000 + REPEATS * 150_000);
  const runs: Run[] = [];
  for (let i = 0; i < REPEATS; i++) runs.push(await closeAtOnce(openTab, request, 'exact', 2000));
  judge('exact-close-2000', runs);
});

test('a 10,000-event burst, then close: all arrive, duplicates ≤ 0.1%', async ({
  openTab,
  request,
}) => {
  // Was a known gap in Chromium (92,363 of 100,000 over 10 runs: the exit write was aborted behind
  // a staging write in flight, or the page was killed by the unload timeout before its commit) and
  // Firefox (99,900); since the exit writes in committed parts: 18 of 18 runs in Chromium, 13 of 13
  // in Firefox and WebKit, on a machine at load average 2-15 (2 cores).
  test.setTimeout(60_000 + REPEATS * 180_000);
  const runs: Run[] = [];
  for (let i = 0; i < REPEATS; i++) runs.push(await closeAtOnce(openTab, request, 'burst', 10_000));
  judge('exact-burst-10000', runs);
});

test('collector answering in 10 s, tab closed meanwhile: all arrive, duplicates ≤ 0.1%', async ({
  openTab,
  request,
}) => {
  test.setTimeout(60_000 + REPEATS * 180_000);
  const runs: Run[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const sid = newSid('slow');
    // The collector records every request at once and answers it 10 s later.
    await setFault(request, sid, { mode: 'slow', delayMs: 10_000 });
    const page = await openTab();
    await openApp(page, `sid=${sid}&n=100&run=w`);
    // The app has seen its collector answer once (an app that has been running a while).
    await page.waitFor(() => (window as any).sinkStats().drained >= 100, undefined, {
      timeout: 60_000,
    });
    const before = (await collectorStats(request, sid)).requests;
    await page.evaluate(() => (window as any).logRange(0, 2000, 's'));
    // The next drain upload has reached the collector; its answer comes in 10 s: close now.
    await expect
      .poll(async () => (await collectorStats(request, sid)).requests, { timeout: 30_000 })
      .toBeGreaterThan(before);
    await page.close();
    await setFault(request, sid, { mode: 'ok' }); // the next page's uploads are answered at once
    const again = await openTab();
    await openApp(again, `sid=${sid}`);
    const exit = await again.evaluate(() => (window as any).previousExit);
    const run = await measure(request, sid, [...keys('w', 100), ...keys('s', 2000)], again);
    const replayed = (await sinkStats(again)).replayed;
    await again.close();
    runs.push({ ...run, dropped: droppedTotal(exit), exit: exitSummary([exit], replayed) });
  }
  judge('exact-slow-collector-10s', runs);
});

test('three tabs closing together: all arrive, duplicates ≤ 0.1%', async ({ openTab, request }) => {
  // Chromium: 15 of 15 runs since a page starts no drain upload after pagehide (it had sent one
  // batch twice in 2 of 10 runs). Firefox: no loss since a hidden page copies each write to the
  // spill until it commits, and no duplicate in 200 runs since a drain upload whose drain task the
  // close cut short after fetch() is recorded at pagehide (before: one batch of 100 twice in 5 of
  // 190 runs; docs/sinks-and-delivery.md).
  test.setTimeout(60_000 + REPEATS * 180_000);
  const names = ['A', 'B', 'C'];
  const counts = [667, 667, 666]; // 2,000 in all
  const runs: Run[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const sid = newSid('tabs-close');
    // The driver opens the tabs (MiniBrowser's window.open returns null under automation).
    const tabs: Tab[] = [];
    for (const name of names) {
      const tab = await openTab();
      await openApp(tab, `sid=${sid}&tab=${name}`);
      tabs.push(tab);
    }
    for (const [t, tab] of tabs.entries())
      await tab.evaluate(([n, run]) => (window as any).logRange(0, n, run), [
        counts[t],
        names[t],
      ] as [number, string]);
    await Promise.all(tabs.map((tab) => tab.close())); // together, at once
    const again = await openTab();
    await openApp(again, `sid=${sid}&tab=D`);
    const exits = [];
    for (const name of names) exits.push(await exitStats(again, sid, name));
    const expected = names.flatMap((name, t) => keys(name, counts[t]));
    const run = await measure(request, sid, expected, again);
    const replayed = (await sinkStats(again)).replayed;
    await again.close();
    runs.push({
      ...run,
      dropped: exits.reduce((n, exit) => n + droppedTotal(exit), 0),
      exit: exitSummary(exits, replayed),
    });
  }
  judge('exact-three-tabs-close', runs);
});
