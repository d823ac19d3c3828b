import { expect, test } from './fixtures.js';
import { expectRecordedFromStart, recordedUrl } from './pageRecorder.js';

// ConsoleSink in the built IIFE and ESM in every engine. The pages log while they load; in WebKit
// the calls are recorded in the page from its first script (see pageRecorder.ts).

test('IIFE build logs through ConsoleSink with per-sink hierarchical filtering', async ({
  engine,
  tab,
}) => {
  await tab.goto(recordedUrl(engine, '/e2e/console-iife.html'));
  await tab.waitFor(() => (window as { done?: boolean }).done === true);
  await expectRecordedFromStart(engine, tab);
  const entries = await tab.consoleEntries();
  const texts = entries.map((entry) => `${entry.type} ${entry.text}`);
  // The SDK writes its own '%s' format string, so logged text never steers the console; how
  // a driver renders that ('%s …' or the formatted line) varies, hence `includes`.
  expect(
    texts.some(
      (t) =>
        t.startsWith('debug ') &&
        t.includes('DEBUG [com.acme.shop/checkout/cart] iife cart updated'),
    ),
  ).toBe(true);
  expect(texts.some((t) => t.includes('iife search hidden'))).toBe(false);
  expect(
    texts.some(
      (t) => t.startsWith('warn ') && t.includes('WARN [com.acme.shop/search] iife search slow'),
    ),
  ).toBe(true);
  // the payload arrives as an inspectable object, not a string (Firefox's driver reports the
  // arguments after the '%s' format string applied them, the others as they were passed)
  const cart = entries.find((entry) => entry.text.includes('iife cart updated'))!;
  expect(cart.args).toContainEqual({ items: 3 });
});

test('ESM build logs through ConsoleSink in a module page', async ({ engine, tab }) => {
  await tab.goto(recordedUrl(engine, '/e2e/console-esm.html'));
  await tab.waitFor(() => (window as { done?: boolean }).done === true);
  await expectRecordedFromStart(engine, tab);
  const entries = await tab.consoleEntries();
  const info = entries.find((entry) => entry.text.includes('esm hello'))!;
  expect(info.type).toBe('info');
  expect(info.args).toContainEqual({ nested: { ok: true } });
  expect(entries.find((entry) => entry.text.includes('esm failure'))?.type).toBe('error');
  expect(await tab.pageErrors()).toEqual([]);
});
