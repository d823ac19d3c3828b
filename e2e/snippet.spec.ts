import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures.js';

// The async loader snippet (demo/public/snippet.js, minified in docs/async-snippet-and-cdn.md) in
// every engine: pasted after the SDK, calls before load (child and flush included) replayed in
// order, and an SDK that never loads said once, with a bounded queue. The snippet is inserted as
// an inline script by the test, so the calls that follow it run in the same task: before the SDK
// can have arrived, whatever the machine's load.

const SNIPPET = readFileSync(new URL('../demo/public/snippet.js', import.meta.url), 'utf8');

interface SnippetSetup {
  source: string;
  /** Value of `data-sdk`: where the snippet loads the SDK from. */
  sdkUrl: string;
}

declare global {
  interface Window {
    MvxLogger: any;
    insertSnippet: (setup: SnippetSetup) => void;
    pageContext: (lib: any) => unknown;
    seen: string[];
    warnings: string[];
    flushResults: boolean[];
  }
}

/**
 * Runs in the page: records console.warn calls and the events a page sink receives, and defines
 * `insertSnippet`, which adds the snippet as an inline script (it runs at once, in the caller's
 * task).
 */
function installHarness(): void {
  window.seen = [];
  window.warnings = [];
  window.flushResults = [];
  const warn = console.warn.bind(console);
  console.warn = (...args: unknown[]) => {
    window.warnings.push(args.map(String).join(' '));
    warn(...args);
  };
  window.insertSnippet = ({ source, sdkUrl }) => {
    const script = document.createElement('script');
    script.setAttribute('data-sdk', sdkUrl);
    script.textContent = source;
    document.head.appendChild(script);
  };
  // A `ready` callback: a context whose sink writes `level namespace message context` lines.
  window.pageContext = (lib) => {
    const page = {
      log: (event: any) =>
        window.seen.push(
          `${event.level} ${event.namespace} ${event.message} ${JSON.stringify(event.context ?? {})}`,
        ),
    };
    return new lib.LogContext({ namespace: 'app', sinks: { page } });
  };
}

test('pasted after the SDK: ready, the level methods, child() and flush() work at once', async ({
  tab,
}) => {
  await tab.goto('/e2e/console-iife.html');
  await tab.waitFor(() => (window as any).done === true);
  await tab.evaluate(installHarness);
  const scriptsBefore = await tab.evaluate(() => document.scripts.length);
  const result = await tab.evaluate(
    async (setup) => {
      window.insertSnippet(setup);
      const sdk = window.MvxLogger;
      const hasSdk = typeof sdk.LogContext === 'function';
      sdk.ready(window.pageContext);
      sdk.info('one');
      sdk.child('cart', { cartId: 7 }).warn('two');
      const flushed = await sdk.flush(1000);
      window.insertSnippet(setup); // pasted twice: the second copy changes nothing
      sdk.error('three');
      return { hasSdk, flushed, stillSdk: window.MvxLogger === sdk };
    },
    { source: SNIPPET, sdkUrl: '/dist/mvx-logger.iife.min.js' },
  );
  expect(result).toEqual({ hasSdk: true, flushed: true, stillSdk: true });
  expect(await tab.evaluate(() => window.seen)).toEqual([
    'info app one {}',
    'warn app/cart two {"cartId":7}',
    'error app three {}',
  ]);
  // Two inline copies, and no second SDK script.
  expect(await tab.evaluate(() => document.scripts.length)).toBe(scriptsBefore + 2);
  expect(await tab.evaluate(() => window.warnings)).toEqual([]);
});

test('before load: level calls, child() and flush() are queued and replayed in order', async ({
  tab,
}) => {
  await tab.goto('/e2e/blank.html');
  await tab.evaluate(installHarness);
  const stubAtCallTime = await tab.evaluate(
    (setup) => {
      window.insertSnippet(setup);
      const stub = window.MvxLogger;
      const isStub = typeof stub.LogContext === 'undefined';
      stub.info('one');
      const cart = stub.child('cart', { cartId: 7 });
      cart.warn('two', { items: 2 });
      stub.ready(window.pageContext);
      void stub.flush(1000).then((flushed: boolean) => window.flushResults.push(flushed));
      cart.child('line').error('three');
      return isStub;
    },
    { source: SNIPPET, sdkUrl: '/dist/mvx-logger.iife.min.js' },
  );
  expect(stubAtCallTime).toBe(true);
  await tab.waitFor(() => window.seen.length === 3 && window.flushResults.length === 1, undefined, {
    timeout: 20_000,
  });
  expect(await tab.evaluate(() => window.seen)).toEqual([
    'info app one {}',
    'warn app/cart two {"cartId":7}',
    'error app/cart/line three {"cartId":7}',
  ]);
  expect(await tab.evaluate(() => window.flushResults)).toEqual([true]);
  // After load the same calls go straight through.
  await tab.evaluate(() => window.MvxLogger.child('late').debug('four'));
  expect(await tab.evaluate(() => window.seen.at(-1))).toBe('debug app/late four {}');
  expect(await tab.evaluate(() => typeof window.MvxLogger.LogContext)).toBe('function');
  expect(await tab.evaluate(() => window.warnings)).toEqual([]);
});

test('the SDK never loads: one console.warn with the count, a bounded queue, flush() resolves false', async ({
  tab,
}) => {
  await tab.goto('/e2e/blank.html');
  await tab.evaluate(installHarness);
  await tab.evaluate(
    (setup) => {
      window.insertSnippet(setup);
      const stub = window.MvxLogger;
      const record = (flushed: boolean) => window.flushResults.push(flushed);
      void stub.flush().then(record); // queued: answered when the load fails
      for (let i = 0; i < 1200; i++) stub.info('queued', { i });
      void stub.flush().then(record); // beyond the bound: answered at once
    },
    { source: SNIPPET, sdkUrl: '/e2e/no-such-sdk.js' },
  );
  await tab.waitFor(
    () => window.warnings.length === 1 && window.flushResults.length === 2,
    undefined,
    {
      timeout: 20_000,
    },
  );
  const [warning] = await tab.evaluate(() => window.warnings);
  expect(warning).toMatch(
    /mvx-logger snippet: the SDK did not load from \S*\/e2e\/no-such-sdk\.js/,
  );
  expect(warning).toMatch(/calls dropped: 1202$/); // 1 flush + 1200 calls + 1 flush
  expect(await tab.evaluate(() => window.flushResults)).toEqual([false, false]);
  // After the failure: calls are dropped quietly, flush() still answers, nothing throws.
  const after = await tab.evaluate(async () => {
    window.MvxLogger.warn('after');
    window.MvxLogger.ready(() => undefined);
    return [await window.MvxLogger.flush(), window.warnings.length];
  });
  expect(after).toEqual([false, 1]);
  expect(await tab.pageErrors()).toEqual([]);
});
