import { fileURLToPath } from 'node:url';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';

// The README's screenshot is taken here, from the page the tests just drove, into an ignored
// path: `npm test` leaves the tree clean; `npm run docs:screenshot` copies it to docs/demo.png.
const SCREENSHOT = fileURLToPath(new URL('../.demo/demo.png', import.meta.url));

const newSid = (name: string) => `demo-${name}-${Date.now().toString(36)}`;

async function stats(request: APIRequestContext, sid: string) {
  return (await request.get(`/stats?sid=${sid}`)).json();
}

async function openDemo(page: Page, sid: string, query = '') {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`/?sid=${sid}${query}`);
  await expect(page.locator('#status')).toHaveText('ready');
  return errors;
}

async function logAt(page: Page, namespace: string, level: string) {
  await page.selectOption('#namespace', namespace);
  await page.click(`#level-buttons button[data-level="${level}"]`);
}

const consoleLines = (page: Page) => page.locator('#console-output li');

test('demo: log from namespaces, edit the filter tree live, see delivery; screenshot', async ({
  page,
  request,
}) => {
  test.setTimeout(60_000);
  await page.setViewportSize({ width: 1280, height: 1000 });
  const sid = newSid('main');
  const errors = await openDemo(page, sid);

  // The decision record's example: checkout shows debug on the console, search does not.
  await logAt(page, 'com.acme.shop/checkout/cart', 'debug');
  await expect(consoleLines(page).first()).toHaveText(
    'DEBUG [com.acme.shop/checkout/cart] debug clicked',
  );
  await logAt(page, 'com.acme.shop/search', 'debug');
  await logAt(page, 'com.acme.shop/search', 'warn');
  await expect(consoleLines(page).first()).toHaveText('WARN [com.acme.shop/search] warn clicked');
  await expect(consoleLines(page)).toHaveCount(2);
  const searchDebug = page.locator(
    '#matrix td[data-ns="com.acme.shop/search"][data-level="debug"]',
  );
  await expect(searchDebug).toHaveAttribute('data-pass', '··');

  // Bad configuration is refused with the SDK's named error, shown on the page (an empty sink name).
  await page.evaluate(() => {
    (document.getElementById('filter-sink') as HTMLSelectElement).options[0].value = '';
  });
  await page.click('#filter-set');
  await expect(page.locator('#filter-error')).toContainText(
    'LogConfigError: LogEventPolicy: a sink name must be a non-empty string',
  );
  await page.evaluate(() => {
    (document.getElementById('filter-sink') as HTMLSelectElement).options[0].value = 'console';
  });

  // Set console: com.acme.shop/search → debug, live: the matrix and the next call follow.
  await page.selectOption('#filter-sink', 'console');
  await page.fill('#filter-path', 'com.acme.shop/search');
  await page.selectOption('#filter-value', 'debug');
  await page.click('#filter-set');
  await expect(searchDebug).toHaveAttribute('data-pass', 'C·');
  await expect(page.locator('#filter-error')).toBeHidden();
  await expect(
    page.locator('#filter-entries tr[data-sink="console"][data-path="com.acme.shop/search"]'),
  ).toContainText('debug+');
  await logAt(page, 'com.acme.shop/search', 'debug');
  await expect(consoleLines(page).first()).toHaveText('DEBUG [com.acme.shop/search] debug clicked');

  // Buffer: deny everything under com.acme.auth, and the matrix says so.
  await page.selectOption('#filter-sink', 'buffer');
  await page.fill('#filter-path', 'com.acme.auth');
  await page.selectOption('#filter-value', 'deny');
  await page.click('#filter-set');
  await expect(
    page.locator('#matrix td[data-ns="com.acme.auth"][data-level="fatal"]'),
  ).toHaveAttribute('data-pass', 'C·');

  // Buffer → IndexedDB → upload → collector; counts arrive over SSE.
  await page.selectOption('#namespace', 'com.acme.shop/checkout');
  await page.click('#burst');
  await logAt(page, 'com.acme.auth', 'error'); // denied for the buffer: never uploaded
  await page.click('#payload-error');
  await page.click('#throw');
  await page.click('#reject');
  await page.click('#console-warn');
  // burst 100 + search warn + payload error + 3 captured = 105 buffered (debug is below info)
  await expect(page.locator('#buffer-accepted')).toHaveText('105');
  await expect(page.locator('#collector-unique')).toHaveText('105', { timeout: 20_000 });
  await expect(page.locator('#collector-duplicates')).toHaveText('0');
  await expect(page.locator('#buffer-stored')).toHaveText('0', { timeout: 10_000 });
  const events: { message: string; namespace: string; payload?: any }[] = await (
    await request.get(`/events?sid=${sid}`)
  ).json();
  const messages = events.map((e) => e.message);
  expect(messages).toContain('TypeError: demo: uncaught error from a timer');
  expect(messages).toContain('Unhandled rejection: Error: demo: nobody handled this rejection');
  expect(messages).toContain('demo: console.warn from app code');
  expect(messages.some((m) => m.includes('com.acme.auth'))).toBe(false);
  const payment = events.find((e) => e.message === 'payment failed');
  expect(JSON.stringify(payment?.payload)).toContain('connection reset'); // the cause travelled
  expect((await stats(request, sid)).unique).toBe(105);
  expect(errors.filter((e) => !e.includes('demo:'))).toEqual([]);

  await page.screenshot({ path: SCREENSHOT, fullPage: true });
});

test('demo: go offline, events wait in IndexedDB, go online, all arrive once', async ({
  page,
  request,
}) => {
  const sid = newSid('offline');
  await openDemo(page, sid);
  await page.click('#offline');
  await expect(page.locator('#offline')).toHaveAttribute('aria-pressed', 'true');
  await page.selectOption('#namespace', 'com.acme.shop');
  await page.click('#burst');
  await page.click('#burst');
  await expect(page.locator('#buffer-stored')).toHaveText('200', { timeout: 10_000 });
  await expect.poll(async () => (await stats(request, sid)).rejected).toBeGreaterThan(0);
  expect((await stats(request, sid)).unique).toBe(0);
  await page.click('#offline');
  await expect(page.locator('#offline')).toHaveAttribute('aria-pressed', 'false');
  await expect(page.locator('#collector-unique')).toHaveText('200', { timeout: 45_000 });
  await expect(page.locator('#buffer-stored')).toHaveText('0', { timeout: 10_000 });
  expect((await stats(request, sid)).duplicates).toBe(0);
});

test('demo: "close tab now" — the next load proves nothing was lost', async ({
  page,
  context,
  request,
}) => {
  const sid = newSid('close');
  await openDemo(page, sid);
  await page.click('#close-tab');
  await page.close(); // whatever the page managed before this is all it gets
  const next = await context.newPage();
  await openDemo(next, sid);
  await expect(next.locator('#previous')).toHaveAttribute('data-state', 'complete', {
    timeout: 30_000,
  });
  await expect(next.locator('#previous')).toContainText('all 200 events');
  const s = await stats(request, sid);
  expect(s.unique).toBe(200);
  console.log(
    `close-tab flow: 200 logged, ${s.unique} unique received, ${s.duplicates} duplicates`,
  );
});

test('demo: ?encoding=otlp uploads OTLP/HTTP JSON to /v1/logs', async ({ page, request }) => {
  const sid = newSid('otlp');
  await openDemo(page, sid, '&encoding=otlp');
  await expect(page.locator('#encoding')).toHaveText('otlp');
  await page.selectOption('#namespace', 'com.acme.shop/search');
  await page.click('#burst');
  await expect(page.locator('#collector-unique')).toHaveText('100', { timeout: 20_000 });
  const s = await stats(request, sid);
  expect(Object.keys(s.byEncoding)).toEqual(['otlp']);
  expect(s.duplicates).toBe(0);
});

test('demo page runs under a strict CSP (no inline script or style)', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text()))
      violations.push(m.text());
  });
  await openDemo(page, newSid('csp'), '&csp=strict');
  await logAt(page, 'com.acme.shop/checkout', 'info');
  await expect(consoleLines(page).first()).toContainText('info clicked');
  expect(violations).toEqual([]);
});
