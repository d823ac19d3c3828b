import { expect, test, type ConsoleMessage } from '@playwright/test';

test('IIFE build logs through ConsoleSink with per-sink hierarchical filtering', async ({
  page,
}) => {
  const messages: ConsoleMessage[] = [];
  page.on('console', (m) => messages.push(m));
  await page.goto('/e2e/console-iife.html');
  await page.waitForFunction(() => (window as { done?: boolean }).done === true);
  const texts = messages.map((m) => `${m.type()} ${m.text()}`);
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
      (t) => t.startsWith('warning ') && t.includes('WARN [com.acme.shop/search] iife search slow'),
    ),
  ).toBe(true);
  // the payload arrives as an inspectable object, not a string
  const cart = messages.find((m) => m.text().includes('iife cart updated'))!;
  expect(await cart.args()[2].jsonValue()).toEqual({ items: 3 });
});

test('ESM build logs through ConsoleSink in a module page', async ({ page }) => {
  const messages: ConsoleMessage[] = [];
  page.on('console', (m) => messages.push(m));
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto('/e2e/console-esm.html');
  await page.waitForFunction(() => (window as { done?: boolean }).done === true);
  const info = messages.find((m) => m.text().includes('esm hello'))!;
  expect(info.type()).toBe('info');
  expect(await info.args()[2].jsonValue()).toEqual({ nested: { ok: true } });
  expect(messages.find((m) => m.text().includes('esm failure'))?.type()).toBe('error');
  expect(errors).toEqual([]);
});
