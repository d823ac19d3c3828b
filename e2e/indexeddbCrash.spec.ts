import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchEngine, type Engine, type Tab } from './driver/index.js';
import { expect, test } from './fixtures.js';
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

test('browser killed after events were stored: they arrive after relaunching the profile', async ({
  engine,
  request,
  baseURL,
}) => {
  test.skip(
    !engine.capabilities.supportsProcessKill,
    `${engine.name}: MiniBrowser's automation mode keeps website data in an ephemeral session, so a relaunch cannot see the killed browser's IndexedDB (supportsProcessKill is false)`,
  );
  test.setTimeout(120_000);
  const sid = newSid('crash');
  const profileDir = mkdtempSync(join(tmpdir(), 'mvx-idb-crash-'));
  const launch = () => launchEngine(engine.name, { baseURL: baseURL!, profileDir });
  let first: Engine | undefined;
  let again: Engine | undefined;
  try {
    await setFault(request, sid, { mode: 'status', status: 503 }); // nothing drains before the crash
    first = await launch();
    const page: Tab = await first.newTab(`/e2e/idb.html?sid=${sid}&n=1500&run=c`);
    await page.waitFor(() => (window as any).logged === true);
    await expect
      .poll(async () => (await sinkStats(page)).delivered, { timeout: 20_000 })
      .toBe(1500);
    const before = await sinkStats(page);
    // A second batch that is only ~0.1 s old when the process dies: measures the loss window.
    await page.evaluate(() => (window as any).logRange(0, 500, 'late'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await first.kill!(); // SIGKILL the whole process group: no page event runs

    await setFault(request, sid, { mode: 'ok' });
    again = await launch();
    const reopened = await again.newTab();
    await openApp(reopened, `sid=${sid}`);
    // Wait for the upload itself: `storedEvents` reads 0 until the reopened page has read the
    // stored totals, so polling it alone could pass before the replay even started.
    await expect
      .poll(async () => (await collectorStats(request, sid)).unique, { timeout: 30_000 })
      .toBeGreaterThanOrEqual(1500);
    await expect
      .poll(async () => (await sinkStats(reopened)).storedEvents, { timeout: 30_000 })
      .toBe(0);
    const got = (await (await request.get(`/events?sid=${sid}`)).json()) as {
      payload: { k: string };
    }[];
    const late = got.filter((e) => e.payload.k.startsWith('late:')).length;
    const stored = got.filter((e) => e.payload.k.startsWith('c:')).map((e) => e.payload.k);
    expect(stored.sort()).toEqual(keys('c', 1500).sort());
    const c = await collectorStats(request, sid);
    report('crash', {
      logged: 2000,
      storedBeforeKill: before.delivered,
      delivered: c.unique,
      duplicates: c.duplicates,
      dropped: droppedTotal(before),
      loggedLessThan100msBeforeKill: `${late}/500 survived`,
    });
    expect(c.duplicates).toBe(0);
    await expectDelivered(request, sid, [
      ...keys('c', 1500),
      ...got.filter((e) => e.payload.k.startsWith('late:')).map((e) => e.payload.k),
    ]);
  } finally {
    await again?.quit();
    await first?.quit().catch(() => undefined);
    rmSync(profileDir, { recursive: true, force: true });
  }
});
