import { existsSync, readFileSync } from 'node:fs';
import type { APIRequestContext } from '@playwright/test';
import { expect, test } from './fixtures.js';
import type { Tab } from './driver/index.js';

// The IIFE from a script tag and the async snippet (inline and self-hosted) in every engine. The
// SDK response is held back by the server's /hold/<key>/ gate (demo/e2eHooks.mjs) until the test
// releases it, so the calls before load are made while the SDK is really still in flight.

const ROOT = new URL('..', import.meta.url);
// The snippet exactly as docs/async-snippet-and-cdn.md documents it (a unit test keeps it equal
// to the minified demo/public/snippet.js).
const README_SNIPPET = /<script>\n(!function\([a-z],[a-z]\)\{[^\n]+)\n<\/script>/.exec(
  readFileSync(new URL('docs/async-snippet-and-cdn.md', ROOT), 'utf8'),
)![1];
const PAGE_SCRIPT = readFileSync(new URL('e2e/public/cdn-snippet.js', ROOT), 'utf8');

declare global {
  interface Window {
    MvxLogger: any;
    seen: string[];
    preloadCallsDone?: boolean;
    sdkLoadedBeforeCalls?: boolean;
    readyAfterLoadGotSdk?: boolean;
    afterLoad: () => void;
  }
}

let holdSeq = 0;

/** A hold gate of its own: files under `${prefix}/dist/` are answered once `release()` is called. */
function holdSdk(request: APIRequestContext) {
  const prefix = `/hold/sdk-${Date.now().toString(36)}-${holdSeq++}`;
  return {
    prefix,
    async release() {
      expect((await request.post(`${prefix}/release`)).status()).toBe(204);
    },
    /** How many SDK requests the gate has seen. */
    async requested(): Promise<number> {
      return (await (await request.get(`${prefix}/requests`)).json()).requests;
    },
  };
}

const EXPECTED = [
  'info one: before any context',
  'warn two: after the context was requested',
  'info three: from a later ready callback',
  'error four: last call before load',
];

test('the IIFE works from a plain <script src> and ships a source map', async ({
  tab,
  request,
}) => {
  await tab.goto('/e2e/console-iife.html');
  await tab.waitFor(() => (window as { done?: boolean }).done === true);
  // The global has every runtime export of src/index.ts (the value exports, not the types).
  const barrel = readFileSync(new URL('src/index.ts', ROOT), 'utf8');
  const exported = [...barrel.matchAll(/^export \{([^}]*)\}/gm)]
    .flatMap(([, names]) => names.split(',').map((name) => name.trim()))
    .filter(Boolean);
  expect(exported).toEqual(
    expect.arrayContaining(['ConsoleSink', 'LogContext', 'LogEventPolicy', 'captureErrors']),
  );
  expect(await tab.evaluate(() => Object.keys(window.MvxLogger).sort())).toEqual(exported.sort());
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
  tab,
}) => {
  await tab.goto('/e2e/console-iife.html');
  await tab.waitFor(() => (window as { done?: boolean }).done === true);
  const messages = await tab.evaluate(() => {
    const lib = window.MvxLogger;
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

/** The page's calls ran before the SDK; nothing is replayed while it is held, all of it after. */
async function expectReplayedOnRelease(tab: Tab, sdk: ReturnType<typeof holdSdk>) {
  await tab.waitFor(() => window.preloadCallsDone === true);
  expect(await tab.evaluate(() => window.sdkLoadedBeforeCalls)).toBe(false);
  expect(await tab.evaluate(() => window.seen)).toEqual([]);
  await expect.poll(() => sdk.requested()).toBe(1);
  expect(await tab.evaluate(() => window.seen)).toEqual([]); // held: nothing replayed yet
  await sdk.release();
  await tab.waitFor(() => window.seen.length === 4);
  expect(await tab.evaluate(() => window.seen)).toEqual(EXPECTED);
}

test('async snippet (self-hosted): calls before load are replayed in order', async ({
  tab,
  request,
}) => {
  const sdk = holdSdk(request);
  // The page's URLs are relative: its snippet asks for the SDK through the same gate.
  await tab.goto(`${sdk.prefix}/e2e/cdn-snippet.html`, { waitUntil: 'commit' });
  await expectReplayedOnRelease(tab, sdk);
  await tab.evaluate(() => window.afterLoad());
  expect(await tab.evaluate(() => window.seen.at(-1))).toBe('debug five: after load');
  expect(await tab.evaluate(() => window.readyAfterLoadGotSdk)).toBe(true);
  expect(await sdk.requested()).toBe(1);
});

test('async snippet (inline, minified as in the README): same replay, SDK URL from the snippet', async ({
  tab,
  request,
}) => {
  const sdk = holdSdk(request);
  const inline = README_SNIPPET.replace(
    /"https:\/\/unpkg\.com\/mvx-logger@[^"]+"/,
    `"${sdk.prefix}/dist/mvx-logger.iife.min.js"`,
  );
  expect(inline).not.toBe(README_SNIPPET);
  await tab.goto('/e2e/blank.html');
  // The inline snippet, then the page's calls, each an inline script in the head (as pasted).
  await tab.evaluate(
    (sources) => {
      for (const source of sources) {
        const script = document.createElement('script');
        script.textContent = source;
        document.head.appendChild(script);
      }
    },
    [inline, PAGE_SCRIPT],
  );
  await expectReplayedOnRelease(tab, sdk);
});

test('async snippet: bounded queue, the number dropped is logged after load', async ({
  tab,
  request,
}) => {
  const sdk = holdSdk(request);
  await tab.goto(`${sdk.prefix}/e2e/cdn-snippet.html`, { waitUntil: 'commit' });
  await tab.waitFor(() => window.preloadCallsDone === true);
  await tab.evaluate(() => {
    for (let i = 0; i < 1500; i++) window.MvxLogger.trace(`flood ${i}`);
  });
  expect(await tab.evaluate(() => typeof window.MvxLogger.LogContext)).toBe('undefined'); // held
  await sdk.release();
  await tab.waitFor(() => window.seen.some((s) => s.includes('dropped')));
  const seen = await tab.evaluate(() => window.seen);
  expect(seen.slice(0, 4)).toEqual(EXPECTED);
  // 5 queued calls (2 ready + 3 log) leave room for 995 of the 1500 flood calls.
  expect(seen.filter((s) => s.startsWith('trace flood'))).toHaveLength(995);
  expect(seen.at(-1)).toBe('warn mvx-logger snippet: calls made before load were dropped');
});
