import { expect, test, type Page } from '@playwright/test';

const count = (page: Page, id: string) => page.locator(`#${id}`);

test('demo: a debug storm is held, an error releases its context, an error storm is cut', async ({
  page,
  request,
}) => {
  test.setTimeout(60_000);
  const sid = `demo-guards-${Date.now().toString(36)}`;
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`/?sid=${sid}`);
  await expect(page.locator('#status')).toHaveText('ready');

  // 5,000 debug records: the ring keeps the latest 200, the rest are counted, nothing is sent.
  await page.click('#debug-storm');
  await expect(count(page, 'crossed-received')).toHaveText('5000');
  await expect(count(page, 'crossed-held')).toHaveText('200');
  await expect(count(page, 'crossed-evicted')).toHaveText('4800');
  await expect(count(page, 'guard-received')).toHaveText('0');

  // 20 more debug records and an error: the 200 held (180 storm ticks in 18 runs of 10, then the
  // 20 steps) and the error reach the storm guard, which folds each run of ticks into one event.
  await page.click('#error-after-debug');
  await expect(count(page, 'crossed-released')).toHaveText('200');
  await expect(count(page, 'crossed-held')).toHaveText('0');
  await expect(count(page, 'crossed-evicted')).toHaveText('4820');
  await expect(count(page, 'guard-received')).toHaveText('201');
  await expect(count(page, 'guard-duplicates')).toHaveText('162');
  await expect(count(page, 'guard-rate-limited')).toHaveText('0');
  await expect(count(page, 'guard-forwarded')).toHaveText('39');

  // 5,000 errors in runs of 10: 500 distinct, of which the burst (300, less the error above,
  // plus what refilled between the clicks) pass; a copy of a rate-limited error is rate-limited too.
  // Clicked in the page to time the storm: its handler runs synchronously.
  const stormMs = await page.evaluate(() => {
    const start = Date.now();
    document.getElementById('error-storm')!.click();
    return Date.now() - start;
  });
  await expect(count(page, 'guard-received')).toHaveText('5201');
  const read = async (id: string) => Number(await count(page, id).textContent());
  const runsSent = (await read('guard-forwarded')) - 39;
  expect(runsSent).toBeGreaterThanOrEqual(299);
  // 3,000 per minute: 0.05 tokens refill per millisecond the storm took
  expect(runsSent).toBeLessThanOrEqual(300 + Math.ceil(0.05 * stormMs));
  // every event is forwarded or counted under one reason (a run whose first copy was refused can
  // have a later copy pass when a token refilled meanwhile, so the split is not exact)
  const duplicates = await read('guard-duplicates');
  expect(duplicates + (await read('guard-rate-limited')) + runsSent + 39).toBe(5201);
  expect(duplicates).toBeGreaterThanOrEqual(162 + 9 * 299);
  const forwarded = 39 + runsSent;

  // What passed both guards is durable and reaches the collector.
  await expect
    .poll(async () => (await (await request.get(`/stats?sid=${sid}`)).json()).unique, {
      timeout: 20_000,
    })
    .toBe(forwarded);
  expect(errors).toEqual([]);
});
