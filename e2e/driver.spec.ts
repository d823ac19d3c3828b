import { expect, test } from './fixtures.js';

// The driver layer itself, in each engine: what every other spec relies on.

test('evaluate passes one argument and returns values (undefined kept apart from null)', async ({
  tab,
}) => {
  await tab.goto('/e2e/console-iife.html');
  expect(await tab.evaluate((n) => n + 1, 41)).toBe(42);
  expect(await tab.evaluate(() => undefined)).toBeUndefined();
  expect(await tab.evaluate(() => null)).toBeNull();
  expect(await tab.evaluate(async (s) => `${s}!`, 'async')).toBe('async!');
  await expect(tab.evaluate(() => Promise.reject(new Error('nope')))).rejects.toThrow(/nope/);
  expect(
    await tab.evaluate(() => [isSecureContext, typeof indexedDB, 'locks' in navigator]),
  ).toEqual([true, 'object', true]);
});

test('tabs share the profile; close at once fires pagehide; reload and goto wait for load', async ({
  openTab,
}) => {
  const sid = `driver-${Date.now()}`;
  const first = await openTab('/e2e/console-iife.html');
  await first.evaluate((id) => {
    localStorage.setItem('driver-test', id);
    addEventListener('pagehide', () => {
      localStorage.setItem('driver-pagehide', id);
    });
  }, sid);
  const second = await openTab('/e2e/console-iife.html');
  expect(await second.evaluate(() => localStorage.getItem('driver-test'))).toBe(sid);
  await first.close();
  await second.waitFor((id) => localStorage.getItem('driver-pagehide') === id, sid);
  await second.evaluate(() => ((window as any).marker = 1));
  await second.reload();
  expect(
    await second.evaluate(() => [(window as any).marker ?? 'none', document.readyState]),
  ).toEqual(['none', 'complete']);
  await second.goto('/e2e/upload.html?sid=' + sid);
  expect(await second.evaluate(() => location.pathname)).toBe('/e2e/upload.html');
});

test('page errors and console calls are collected', async ({ tab, engine }) => {
  await tab.goto('/e2e/console-iife.html');
  await tab.evaluate(() => {
    setTimeout(() => {
      throw new Error('driver boom');
    });
    console.warn('driver warn', { a: 1 });
  });
  await expect.poll(async () => (await tab.pageErrors()).join()).toContain('driver boom');
  const warn = (await tab.consoleEntries()).find((e) => e.text.startsWith('driver warn'));
  expect(warn?.type).toBe('warn');
  expect(warn?.args?.[1]).toEqual({ a: 1 });
  const opened = await tab.evaluate(() => {
    const opened = window.open('/e2e/console-iife.html');
    opened?.close();
    return opened !== null;
  });
  expect(opened).toBe(engine.capabilities.supportsWindowOpen);
  expect(await tab.evaluate(() => 'onfreeze' in document)).toBe(engine.capabilities.supportsFreeze);
});
