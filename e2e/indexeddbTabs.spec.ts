import { expect, test, type Page } from '@playwright/test';
import {
  droppedTotal,
  expectDelivered,
  keys,
  newSid,
  openApp,
  report,
} from './indexeddbHelpers.js';

type Stats = { drained: number; drainer: boolean; dropped: Record<string, number> };
const stats = (p: Page) => p.evaluate(() => (window as any).sinkStats() as Stats);

/** Logs `n` events in bursts of 50 every 10 ms, so the tabs' writes interleave. */
const logSteadily = (p: Page, run: string, n: number) =>
  p.evaluate(
    ([run, n]) =>
      new Promise<void>((resolve) => {
        let i = 0;
        const tick = () => {
          (window as any).logRange(i, Math.min(n as number, i + 50), run);
          i += 50;
          if (i < (n as number)) setTimeout(tick, 10);
          else resolve();
        };
        tick();
      }),
    [run, n] as const,
  );

test('three tabs log into one database: every event arrives once, one tab drains at a time', async ({
  context,
  request,
}) => {
  const sid = newSid('tabs');
  const names = ['A', 'B', 'C'];
  const tabs = await Promise.all(names.map(() => context.newPage()));
  await Promise.all(tabs.map((p, i) => openApp(p, `sid=${sid}&tab=${names[i]}`)));
  await Promise.all(tabs.map((p, i) => logSteadily(p, names[i], 1000)));
  const first = await expectDelivered(
    request,
    sid,
    names.flatMap((n) => keys(n, 1000)),
  );
  const before = await Promise.all(tabs.map(stats));
  const drainers = before.filter((s) => s.drainer);
  expect(drainers).toHaveLength(1);
  expect(before.reduce((n, s) => n + s.drained, 0)).toBe(3000);
  expect(before.filter((s) => s.drained > 0)).toHaveLength(1); // no event uploaded by two tabs

  // The drainer tab closes: the role passes to another tab (the Web Lock is released with the page).
  const gone = before.findIndex((s) => s.drainer);
  await tabs[gone].close();
  const left = tabs.filter((_, i) => i !== gone);
  const leftNames = names.filter((_, i) => i !== gone);
  await Promise.all(left.map((p, i) => logSteadily(p, `${leftNames[i]}2`, 500)));
  const all = [
    ...names.flatMap((n) => keys(n, 1000)),
    ...leftNames.flatMap((n) => keys(`${n}2`, 500)),
  ];
  const second = await expectDelivered(request, sid, all);
  const after = await Promise.all(left.map(stats));
  expect(after.filter((s) => s.drainer)).toHaveLength(1);
  report('three-tabs', {
    logged: all.length,
    delivered: second.unique,
    duplicates: second.duplicates,
    dropped: [...before, ...after].reduce((n, s) => n + droppedTotal(s), 0),
    drainedBy: Object.fromEntries(names.map((n, i) => [n, before[i].drained])),
    afterClosing: `${names[gone]} closed → ${leftNames[after.findIndex((s) => s.drainer)]} drains (${after.map((s, i) => `${leftNames[i]}:${s.drained}`).join(' ')})`,
  });
  expect(first.duplicates).toBe(0);
  expect(second.duplicates).toBe(0);
});

test('measurement: does an IndexedDB transaction started in pagehide commit when the tab closes?', async ({
  context,
}) => {
  const trials = 5;
  const n = 200;
  const results: Record<string, number[]> = {};
  for (const how of ['page.close', 'navigate'] as const) {
    for (const commit of ['0', '1']) {
      const label = `${how}${commit === '1' ? '+commit()' : ''}`;
      results[label] = [];
      for (let t = 0; t < trials; t++) {
        const sid = newSid(`probe-${t}`);
        const q = `sid=${sid}&n=${n}&commit=${commit}`;
        const page = await context.newPage();
        await page.goto(`/e2e/idb-pagehide.html?${q}`);
        await page.waitForFunction(() => (window as any).ready === true);
        if (how === 'page.close') await page.close();
        else await page.goto('/e2e/idb.html?sid=probe-nav'); // another page of the same app
        const check = how === 'page.close' ? await context.newPage() : page;
        await check.goto(`/e2e/idb-pagehide.html?${q}&n=0`);
        await check.waitForFunction(() => (window as any).ready === true);
        const started = await check.evaluate(
          (s) => localStorage.getItem(`pagehide-probe-${s}:started`),
          sid,
        );
        expect(started).toBe('1'); // the handler did run
        results[label].push(await check.evaluate(() => (window as any).count()));
        await check.close();
      }
    }
  }
  const summary = Object.fromEntries(
    Object.entries(results).map(([k, v]) => [
      k,
      `${v.filter((c) => c === n).length}/${trials} committed (${v.join(',')})`,
    ]),
  );
  report('pagehide-transaction-commit', summary);
});
