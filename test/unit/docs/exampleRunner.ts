import { expect, vi } from 'vitest';
import * as sdk from '../../../src/index.js';
import { LogContext, type LogEvent, resetLogSinks, UploadSink } from '../../../src/index.js';
import { createFakeFetch } from '../../fakes/fetch.js';
import { docExamples, type DocExample } from './examples.js';

// Runs the docs' examples in Node (see examples.test.ts): the app names they assume, a fake
// `fetch`, a page at https://shop.example.com/ and the console recorded.

export const examples = docExamples();
const byName = new Map(examples.map((example) => [example.name, example]));

export const recorded = {
  consoleLines: [] as { method: string; args: unknown[] }[],
  fetch: createFakeFetch(),
};

/** Stubs the console, `fetch` and `location` (beforeEach). */
export function stubPage(): void {
  recorded.consoleLines = [];
  for (const method of ['trace', 'debug', 'info', 'warn', 'error', 'log'] as const)
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      recorded.consoleLines.push({ method, args });
    });
  recorded.fetch = createFakeFetch();
  const fake = recorded.fetch.fetch;
  // The examples' own sinks read `res.ok`, as with the platform's fetch
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    const response = await fake(url, init as never);
    return Object.assign(response, { ok: response.status >= 200 && response.status < 300 });
  });
  vi.stubGlobal('location', { href: 'https://shop.example.com/cart' });
}

/** Undoes `stubPage` and empties the sink registry (afterEach). */
export async function unstubPage(): Promise<void> {
  await resetLogSinks();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
}

/** What the app of an example already has, by name. */
export function appScope() {
  const appEvents: LogEvent[] = [];
  const appLog = new LogContext({
    namespace: 'com.acme.shop',
    sinks: { memory: { log: (event) => appEvents.push(event) } },
  });
  const workerGlobal = new EventTarget();
  const modules: Record<string, unknown> = { 'mvx-logger': sdk, './log': { log: appLog } };
  const scope: Record<string, unknown> = {
    ...sdk,
    MvxLogger: sdk,
    require: (id: string) => {
      if (!(id in modules)) throw new Error(`the example imports ${id}`);
      return modules[id];
    },
    exports: {} as Record<string, unknown>,
    log: appLog,
    expensiveSnapshot: () => ({ lines: 2 }),
    checkout: async () => {
      throw Object.assign(new Error('card declined'), { code: 'E_CARD' });
    },
    cart: { id: 'c-42', items: 3 },
    list: { prepend: (item: unknown) => [item] },
    render: (event: LogEvent) => event.message,
    upload: new UploadSink({ url: 'https://logs.example.com/v1/logs' }),
    importScripts: () => undefined,
    self: workerGlobal,
  };
  return { scope, appEvents };
}

/**
 * Runs an example in an async function of the scope's names; `tail` runs after it, in its block
 * (so it sees the example's own `const`s), and its `return` is the result.
 */
export async function run(example: DocExample, scope: Record<string, unknown>, tail = '') {
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
    ...args: string[]
  ) => (...values: unknown[]) => Promise<unknown>;
  const body = `{\n${example.script}\n;${tail}\n}`;
  const fn = new AsyncFunction(...Object.keys(scope), body);
  return fn(...Object.values(scope));
}

export function example(name: string, identifiedBy: string): DocExample {
  const found = byName.get(name);
  expect(found, `${name} moved: update this test`).toBeDefined();
  expect(found!.source).toContain(identifiedBy);
  return found!;
}

/** Console calls whose arguments contain `text`. */
export const printed = (text: string) =>
  recorded.consoleLines.filter((line) => line.args.some((arg) => String(arg).includes(text)));
