import { docExamples, inlineScripts } from '../test/unit/docs/examples.js';
import { expect, test } from './fixtures.js';
import type { Tab } from './driver/index.js';

// The script-tag examples of README.md and docs/async-snippet-and-cdn.md, exactly as the pages
// show them, in a real page of every engine, with the built IIFE (/dist) in place of the CDN URL.
// The page's console and `fetch` are recorded in the page itself (the SDK's upload is answered
// there, so no collector session is touched). Node runs every example too: test/unit/docs.

const examples = new Map(docExamples().map((example) => [example.name, example]));

function exampleScripts(name: string, identifiedBy: string): string[] {
  const example = examples.get(name);
  expect(example?.source, `${name} moved: update this test`).toContain(identifiedBy);
  return inlineScripts(example!.source);
}

/** A blank page with the IIFE loaded and the console and fetch recorded. */
async function pageWithSdk(tab: Tab) {
  await tab.goto('/e2e/blank.html');
  await tab.evaluate(() => {
    const page = window as any;
    page.recordedLines = [];
    page.recordedBodies = [];
    for (const method of ['trace', 'debug', 'info', 'warn', 'error', 'log']) {
      const original = (console as any)[method].bind(console);
      (console as any)[method] = (...args: unknown[]) => {
        page.recordedLines.push({ method, text: args.map(String).join(' ') });
        original(...args);
      };
    }
    page.fetch = async (_url: string, init: { body: string }) => {
      page.recordedBodies.push(String(init.body));
      return new Response(null, { status: 204 });
    };
    page.addEventListener('error', (event: ErrorEvent) =>
      page.recordedLines.push({ method: 'uncaught', text: String(event.message) }),
    );
    const sdk = document.createElement('script');
    sdk.src = '/dist/mvx-logger.iife.min.js';
    document.head.append(sdk);
  });
  await tab.waitFor(() => typeof (window as any).MvxLogger?.LogContext === 'function');
}

/** Runs each script as an inline `<script>` of the page, in order, as the page would. */
async function runInline(tab: Tab, scripts: string[]) {
  for (const code of scripts)
    await tab.evaluate((text) => {
      const script = document.createElement('script');
      script.textContent = text;
      document.body.append(script);
    }, code);
}

const lines = (tab: Tab) =>
  tab.evaluate(() => (window as any).recordedLines as { method: string; text: string }[]);

test('README script-tag quick start: checkout debug shown, search debug filtered out', async ({
  tab,
}) => {
  await pageWithSdk(tab);
  await runInline(tab, exampleScripts('README.md#2', "debug('query'"));
  const seen = await lines(tab);
  expect(seen.filter((line) => line.method === 'uncaught')).toEqual([]);
  expect(seen.filter((line) => line.text.includes('cart updated')).map((l) => l.method)).toEqual([
    'debug',
  ]);
  expect(seen.filter((line) => line.text.includes('query'))).toEqual([]);
});

test('async snippet after the SDK: the ready() context receives the queued call and uploads it', async ({
  tab,
}) => {
  await pageWithSdk(tab);
  // A path of its own, so the uploaded `path` is this run's.
  const path = `/e2e/docs-example-${Date.now().toString(36)}`;
  await tab.evaluate((own) => history.replaceState(null, '', own), path);
  await runInline(tab, exampleScripts('docs/async-snippet-and-cdn.md#2', 'MvxLogger.ready('));
  expect(await tab.evaluate(() => (window as any).MvxLogger.flush(5000))).toBe(true);
  const seen = await lines(tab);
  expect(seen.filter((line) => ['uncaught', 'warn'].includes(line.method))).toEqual([]);
  const bodies = await tab.evaluate(() => (window as any).recordedBodies as string[]);
  expect(bodies).toHaveLength(1);
  const body = JSON.parse(bodies[0]!);
  const [record] = body.resourceLogs[0].scopeLogs[0].logRecords;
  expect(record.body).toEqual({ stringValue: 'page start' });
  expect(record.attributes).toContainEqual({ key: 'path', value: { stringValue: path } });
});
