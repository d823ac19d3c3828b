import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, expect, test, type Browser, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/chromium.js';
import {
  collectorStats,
  droppedTotal,
  expectDelivered,
  keys,
  newSid,
  openApp,
  report,
  setFault,
} from './indexeddbHelpers.js';

/** Starts Chromium on a profile directory ourselves, so the test can SIGKILL it (a real crash). */
async function launchKillable(profile: string): Promise<{ browser: Browser; child: ChildProcess }> {
  const child = spawn(
    CHROMIUM_PATH,
    [
      ...CHROMIUM_ARGS,
      '--headless=new',
      '--remote-debugging-port=0',
      `--user-data-dir=${profile}`,
      'about:blank',
    ],
    { detached: true, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const ws = await new Promise<string>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`no DevTools URL: ${text}`)), 15_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(text);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
  });
  return { browser: await chromium.connectOverCDP(ws), child };
}

/** SIGKILL the whole process group: browser, renderers, storage service. No page event runs. */
async function crash(child: ChildProcess) {
  const exited = new Promise((r) => child.once('exit', r));
  process.kill(-child.pid!, 'SIGKILL');
  await exited;
}

const stats = (p: Page) => p.evaluate(() => (window as any).sinkStats());

test('browser killed after events were stored: they arrive after relaunching the profile', async ({
  request,
  baseURL,
}) => {
  test.setTimeout(60_000);
  const sid = newSid('crash');
  const profile = mkdtempSync(join(tmpdir(), 'mvx-idb-crash-'));
  try {
    await setFault(request, sid, { mode: 'status', status: 503 }); // nothing drains before the crash
    const first = await launchKillable(profile);
    const page = await first.browser.contexts()[0].newPage();
    await page.goto(`${baseURL}/e2e/idb.html?sid=${sid}&n=1500&run=c`);
    await page.waitForFunction(() => (window as any).logged === true);
    await expect.poll(async () => (await stats(page)).delivered, { timeout: 10_000 }).toBe(1500);
    const before = await stats(page);
    // A second batch that is only ~0.1 s old when the process dies: measures the loss window.
    await page.evaluate(() => (window as any).logRange(0, 500, 'late'));
    await page.waitForTimeout(100);
    await crash(first.child);

    await setFault(request, sid, { mode: 'ok' });
    const again = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
      headless: true,
      baseURL,
    });
    try {
      const reopened = await again.newPage();
      await openApp(reopened, `sid=${sid}`);
      // Wait for the upload itself: `storedEvents` reads 0 until the reopened page has read the
      // stored totals, so polling it alone could pass before the replay even started.
      await expect
        .poll(async () => (await collectorStats(request, sid)).unique, { timeout: 20_000 })
        .toBeGreaterThanOrEqual(1500);
      await expect
        .poll(async () => (await stats(reopened)).storedEvents, { timeout: 20_000 })
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
      await again.close();
    }
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
});
