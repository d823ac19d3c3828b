import { click, expectText, newSid, openDemo, textOf } from './demoPage.js';
import { expect, test } from './fixtures.js';

const count = (id: string) => `#${id}`;

test('demo: a debug storm is held, an error releases its context, an error storm is cut', async ({
  engine,
  tab,
  request,
}) => {
  test.setTimeout(60_000);
  const sid = newSid('guards');
  await openDemo(engine, tab, sid);

  // 5,000 debug records: the ring keeps the latest 200, the rest are counted, nothing is sent.
  await click(tab, '#debug-storm');
  await expectText(tab, count('crossed-received'), '5000');
  await expectText(tab, count('crossed-held'), '200');
  await expectText(tab, count('crossed-evicted'), '4800');
  await expectText(tab, count('guard-received'), '0');

  // 20 more debug records and an error: the 200 held (180 storm ticks in 18 runs of 10, then the
  // 20 steps) and the error reach the storm guard, which folds each run of ticks into one event.
  await click(tab, '#error-after-debug');
  await expectText(tab, count('crossed-released'), '200');
  await expectText(tab, count('crossed-held'), '0');
  await expectText(tab, count('crossed-evicted'), '4820');
  await expectText(tab, count('guard-received'), '201');
  await expectText(tab, count('guard-duplicates'), '162');
  await expectText(tab, count('guard-rate-limited'), '0');
  await expectText(tab, count('guard-forwarded'), '39');

  // 5,000 errors in runs of 10: 500 distinct, of which the burst (300, less the error above,
  // plus what refilled between the clicks) pass; a copy of a rate-limited error is rate-limited too.
  // Clicked in the page to time the storm: its handler runs synchronously.
  const stormMs = await tab.evaluate(() => {
    const start = Date.now();
    document.getElementById('error-storm')!.click();
    return Date.now() - start;
  });
  await expectText(tab, count('guard-received'), '5201');
  const read = async (id: string) => Number(await textOf(tab, count(id)));
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
  expect(await tab.pageErrors()).toEqual([]);
});
