import { existsSync, readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';

const ROOT = new URL('..', import.meta.url);
// The snippet exactly as docs/async-snippet-and-cdn.md documents it (a unit test keeps it equal
// to the minified demo/public/snippet.js).
const README_SNIPPET = /<script>\n(!function\([a-z],[a-z]\)\{[^\n]+)\n<\/script>/.exec(
  readFileSync(new URL('docs/async-snippet-and-cdn.md', ROOT), 'utf8'),
)![1];

/** Holds the SDK response until `release()`, so calls are made while it is still in flight. */
async function holdSdk(page: Page) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let requested = 0;
  await page.route('**/dist/mvx-logger.iife.min.js', async (route) => {
    requested++;
    await released;
    await route.continue();
  });
  return { release, requested: () => requested };
}

const EXPECTED = [
  'info one: before any context',
  'warn two: after the context was requested',
  'info three: from a later ready callback',
  'error four: last call before load',
];

test('the IIFE works from a plain <script src> and ships a source map', async ({
  page,
  request,
}) => {
  await page.goto('/e2e/console-iife.html');
  await page.waitForFunction(() => (window as { done?: boolean }).done === true);
  // The global has every runtime export of src/index.ts (the value exports, not the types).
  const barrel = readFileSync(new URL('src/index.ts', ROOT), 'utf8');
  const exported = [...barrel.matchAll(/^export \{([^}]*)\}/gm)]
    .flatMap(([, names]) => names.split(',').map((name) => name.trim()))
    .filter(Boolean);
  expect(exported).toEqual(
    expect.arrayContaining(['ConsoleSink', 'LogContext', 'LogEventPolicy', 'captureErrors']),
  );
  expect(await page.evaluate(() => Object.keys((window as any).MvxLogger).sort())).toEqual(
    exported.sort(),
  );
  const iife = await (await request.get('/dist/mvx-logger.iife.min.js')).text();
  expect(iife.trimEnd().endsWith('//# sourceMappingURL=mvx-logger.iife.min.js.map')).toBe(true);
  const map = await (await request.get('/dist/mvx-logger.iife.min.js.map')).json();
  expect(map.version).toBe(3);
  expect(map.sources.some((s: string) => s.endsWith('src/context/logContext.ts'))).toBe(true);
  // The ESM build has a map next to every module.
  for (const file of ['index.js', 'context/logContext.js', 'core/policy.js']) {
    expect(existsSync(new URL(`dist/esm/${file}.map`, ROOT))).toBe(true);
  }
});

test('configuration errors from the minified IIFE name the sink, not a mangled class', async ({
  page,
}) => {
  await page.goto('/e2e/console-iife.html');
  await page.waitForFunction(() => (window as { done?: boolean }).done === true);
  const messages = await page.evaluate(() => {
    const lib = (window as any).MvxLogger;
    const attempt = (make: () => unknown) => {
      try {
        make();
        return 'no error';
      } catch (error) {
        return `${(error as Error).name}: ${(error as Error).message}`;
      }
    };
    return [
      attempt(() => new lib.UploadSink({ url: '/collect', maxBatchEvents: 0 })),
      attempt(() => new lib.IndexedDbSink({ maxBatchEvents: 0 })),
    ];
  });
  expect(messages[0]).toMatch(/^LogConfigError: UploadSink: .*maxBatchEvents/);
  expect(messages[1]).toMatch(/^LogConfigError: IndexedDbSink: .*maxBatchEvents/);
});

test('async snippet (self-hosted): calls before load are replayed in order', async ({ page }) => {
  const sdk = await holdSdk(page);
  await page.goto('/e2e/cdn-snippet.html', { waitUntil: 'commit' });
  await page.waitForFunction(() => (window as any).preloadCallsDone === true);
  expect(await page.evaluate(() => (window as any).sdkLoadedBeforeCalls)).toBe(false);
  expect(await page.evaluate(() => (window as any).seen)).toEqual([]);
  expect(sdk.requested()).toBe(1);
  sdk.release();
  await page.waitForFunction(() => (window as any).seen.length === 4);
  expect(await page.evaluate(() => (window as any).seen)).toEqual(EXPECTED);
  await page.evaluate(() => (window as any).afterLoad());
  expect(await page.evaluate(() => (window as any).seen.at(-1))).toBe('debug five: after load');
  expect(await page.evaluate(() => (window as any).readyAfterLoadGotSdk)).toBe(true);
});

test('async snippet (inline, minified as in the README): same replay, SDK URL from the snippet', async ({
  page,
}) => {
  const sdk = await holdSdk(page);
  const inline = README_SNIPPET.replace(
    /"https:\/\/unpkg\.com\/mvx-logger@[^"]+"/,
    '"/dist/mvx-logger.iife.min.js"',
  );
  expect(inline).not.toBe(README_SNIPPET);
  await page.route('**/e2e/inline-snippet.html', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html><head><script>${inline}</script>
        <script src="/e2e/cdn-snippet.js"></script></head><body></body></html>`,
    }),
  );
  await page.goto('/e2e/inline-snippet.html', { waitUntil: 'commit' });
  await page.waitForFunction(() => (window as any).preloadCallsDone === true);
  sdk.release();
  await page.waitForFunction(() => (window as any).seen.length === 4);
  expect(await page.evaluate(() => (window as any).seen)).toEqual(EXPECTED);
});

test('async snippet: bounded queue, the number dropped is logged after load', async ({ page }) => {
  const sdk = await holdSdk(page);
  await page.goto('/e2e/cdn-snippet.html', { waitUntil: 'commit' });
  await page.waitForFunction(() => (window as any).preloadCallsDone === true);
  await page.evaluate(() => {
    for (let i = 0; i < 1500; i++) (window as any).MvxLogger.trace(`flood ${i}`);
  });
  sdk.release();
  await page.waitForFunction(() => (window as any).seen.some((s: string) => s.includes('dropped')));
  const seen: string[] = await page.evaluate(() => (window as any).seen);
  expect(seen.slice(0, 4)).toEqual(EXPECTED);
  // 5 queued calls (2 ready + 3 log) leave room for 995 of the 1500 flood calls.
  expect(seen.filter((s) => s.startsWith('trace flood'))).toHaveLength(995);
  expect(seen.at(-1)).toBe('warn mvx-logger snippet: calls made before load were dropped');
});
