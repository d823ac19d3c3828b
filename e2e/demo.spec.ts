import { fileURLToPath } from 'node:url';
import type { APIRequestContext } from '@playwright/test';
import {
  SHOWN_MS,
  attributeOf,
  click,
  countOf,
  expectText,
  isHidden,
  newSid,
  openDemo,
  setValue,
  textOf,
} from './demoPage.js';
import type { Tab } from './driver/index.js';
import { expect, test } from './fixtures.js';
import { recordedViolations } from './pageRecorder.js';

// The demo page (demo/public) driven as a user would, in every engine. The README's screenshot is
// taken here in Chromium, from the page the test just drove, into an ignored path: `npm test`
// leaves the tree clean; `npm run docs:screenshot` copies it to docs/demo.png.
const SCREENSHOT = fileURLToPath(new URL('../.demo/demo.png', import.meta.url));

async function stats(request: APIRequestContext, sid: string) {
  return (await request.get(`/stats?sid=${sid}`)).json();
}

async function logAt(tab: Tab, namespace: string, level: string) {
  await setValue(tab, '#namespace', namespace);
  await click(tab, `#level-buttons button[data-level="${level}"]`);
}

const FIRST_LINE = '#console-output li';

/** Polls an attribute until it is `expected`. */
const expectAttribute = (
  tab: Tab,
  selector: string,
  name: string,
  expected: string,
  timeout = SHOWN_MS,
) =>
  expect
    .poll(() => attributeOf(tab, selector, name), { timeout, message: `${selector} [${name}]` })
    .toBe(expected);

test('demo: log from namespaces, edit the filter tree live, see delivery; screenshot', async ({
  engine,
  tab,
  request,
}) => {
  test.setTimeout(90_000);
  const sid = newSid('main');
  await openDemo(engine, tab, sid);

  // The decision record's example: checkout shows debug on the console, search does not.
  await logAt(tab, 'com.acme.shop/checkout/cart', 'debug');
  await expectText(tab, FIRST_LINE, 'DEBUG [com.acme.shop/checkout/cart] debug clicked');
  await logAt(tab, 'com.acme.shop/search', 'debug');
  await logAt(tab, 'com.acme.shop/search', 'warn');
  await expectText(tab, FIRST_LINE, 'WARN [com.acme.shop/search] warn clicked');
  await expect.poll(() => countOf(tab, '#console-output li')).toBe(2);
  const searchDebug = '#matrix td[data-ns="com.acme.shop/search"][data-level="debug"]';
  await expectAttribute(tab, searchDebug, 'data-pass', '··');

  // Bad configuration is refused with the SDK's named error, shown on the page (an empty sink name).
  await tab.evaluate(() => {
    (document.getElementById('filter-sink') as HTMLSelectElement).options[0].value = '';
  });
  await click(tab, '#filter-set');
  await expect
    .poll(() => textOf(tab, '#filter-error'), { timeout: SHOWN_MS })
    .toContain('LogConfigError: LogEventPolicy: a sink name must be a non-empty string');
  await tab.evaluate(() => {
    (document.getElementById('filter-sink') as HTMLSelectElement).options[0].value = 'console';
  });

  // Set console: com.acme.shop/search → debug, live: the matrix and the next call follow.
  await setValue(tab, '#filter-sink', 'console');
  await setValue(tab, '#filter-path', 'com.acme.shop/search');
  await setValue(tab, '#filter-value', 'debug');
  await click(tab, '#filter-set');
  await expectAttribute(tab, searchDebug, 'data-pass', 'C·');
  await expect.poll(() => isHidden(tab, '#filter-error')).toBe(true);
  await expect
    .poll(() =>
      textOf(tab, '#filter-entries tr[data-sink="console"][data-path="com.acme.shop/search"]'),
    )
    .toContain('debug+');
  await logAt(tab, 'com.acme.shop/search', 'debug');
  await expectText(tab, FIRST_LINE, 'DEBUG [com.acme.shop/search] debug clicked');

  // Buffer: deny everything under com.acme.auth, and the matrix says so.
  await setValue(tab, '#filter-sink', 'buffer');
  await setValue(tab, '#filter-path', 'com.acme.auth');
  await setValue(tab, '#filter-value', 'deny');
  await click(tab, '#filter-set');
  await expectAttribute(
    tab,
    '#matrix td[data-ns="com.acme.auth"][data-level="fatal"]',
    'data-pass',
    'C·',
  );

  // Buffer → IndexedDB → upload → collector; counts arrive over SSE.
  await setValue(tab, '#namespace', 'com.acme.shop/checkout');
  await click(tab, '#burst');
  await logAt(tab, 'com.acme.auth', 'error'); // denied for the buffer: never uploaded
  await click(tab, '#payload-error');
  await click(tab, '#throw');
  await click(tab, '#reject');
  await click(tab, '#console-warn');
  // burst 100 + search warn + payload error + 3 captured = 105 buffered (debug is below info)
  await expectText(tab, '#buffer-accepted', '105');
  await expectText(tab, '#collector-unique', '105', 20_000);
  await expectText(tab, '#collector-duplicates', '0');
  await expectText(tab, '#buffer-stored', '0');
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
  const errors = await tab.pageErrors();
  expect(errors.some((e) => e.includes('demo: uncaught error from a timer'))).toBe(true); // seen
  expect(errors.filter((e) => !e.includes('demo:'))).toEqual([]);

  if (tab.screenshot) await tab.screenshot(SCREENSHOT);
  else console.log(`  ${engine.name}: the README screenshot is taken in Chromium only`);
});

test('demo: go offline, events wait in IndexedDB, go online, all arrive once', async ({
  engine,
  tab,
  request,
}) => {
  test.setTimeout(90_000);
  const sid = newSid('offline');
  await openDemo(engine, tab, sid);
  await click(tab, '#offline');
  await expectAttribute(tab, '#offline', 'aria-pressed', 'true');
  await setValue(tab, '#namespace', 'com.acme.shop');
  await click(tab, '#burst');
  await click(tab, '#burst');
  await expectText(tab, '#buffer-stored', '200');
  await expect.poll(async () => (await stats(request, sid)).rejected).toBeGreaterThan(0);
  expect((await stats(request, sid)).unique).toBe(0);
  await click(tab, '#offline');
  await expectAttribute(tab, '#offline', 'aria-pressed', 'false');
  await expectText(tab, '#collector-unique', '200', 45_000);
  await expectText(tab, '#buffer-stored', '0');
  expect((await stats(request, sid)).duplicates).toBe(0);
});

test('demo: "close tab now" — the next load proves nothing was lost', async ({
  engine,
  openTab,
  request,
}) => {
  test.setTimeout(90_000);
  const sid = newSid('close');
  const first = await openTab();
  await openDemo(engine, first, sid);
  await click(first, '#close-tab');
  await first.close(); // whatever the page managed before this is all it gets
  const next = await openTab();
  await openDemo(engine, next, sid);
  await expectAttribute(next, '#previous', 'data-state', 'complete', 30_000);
  expect(await textOf(next, '#previous')).toContain('all 200 events');
  const s = await stats(request, sid);
  expect(s.unique).toBe(200);
  console.log(
    `close-tab flow (${engine.name}): 200 logged, ${s.unique} unique received, ${s.duplicates} duplicates`,
  );
});

test('demo: ?encoding=otlp uploads OTLP/HTTP JSON to /v1/logs', async ({
  engine,
  tab,
  request,
}) => {
  const sid = newSid('otlp');
  await openDemo(engine, tab, sid, '&encoding=otlp');
  await expectText(tab, '#encoding', 'otlp');
  await setValue(tab, '#namespace', 'com.acme.shop/search');
  await click(tab, '#burst');
  await expectText(tab, '#collector-unique', '100', 20_000);
  const s = await stats(request, sid);
  expect(Object.keys(s.byEncoding)).toEqual(['otlp']);
  expect(s.duplicates).toBe(0);
});

test('demo page runs under a strict CSP (no inline script or style)', async ({ engine, tab }) => {
  // The page recorder is added in every engine here: it records `securitypolicyviolation`.
  await openDemo(engine, tab, newSid('csp'), '&csp=strict', true);
  await logAt(tab, 'com.acme.shop/checkout', 'info');
  await expect.poll(() => textOf(tab, FIRST_LINE), { timeout: SHOWN_MS }).toContain('info clicked');
  expect(await recordedViolations(tab)).toEqual([]);
  // The console's CSP reports, where the driver sees the browser's own console messages.
  const reported = (await tab.consoleEntries()).filter(
    (entry) => entry.type === 'error' && /Content Security Policy/i.test(entry.text),
  );
  expect(reported.map((entry) => entry.text)).toEqual([]);
  // Control: the recorder does see a violation (an inline script the policy blocks).
  await tab.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.inlineRan = true';
    document.head.appendChild(script);
  });
  await expect.poll(() => recordedViolations(tab)).toHaveLength(1);
  expect(await tab.evaluate(() => (window as any).inlineRan)).toBeUndefined();
});
