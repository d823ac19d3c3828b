/**
 * The tests one page of the browser unit tests registered (see vitestShim.ts), and running one of
 * them by its full name the way vitest does: the `beforeEach` hooks from the outer suite in, the
 * body within its timeout, then the `afterEach` hooks from the inner suite out (each suite's last
 * first) and the functions `beforeEach` hooks returned (last first), even when the body failed.
 * Exposed as `window.browserUnits`.
 */
import { NAME_SEPARATOR } from './fullName.js';

export type TestBody = () => unknown;
type Hook = () => unknown;

interface Suite {
  readonly _names: readonly string[];
  readonly _parent: Suite | undefined;
  readonly _beforeEach: Hook[];
  readonly _afterEach: Hook[];
}

interface RegisteredTest {
  readonly _suite: Suite;
  readonly _body: TestBody;
  readonly _timeout: number;
}

/** What one test's run came to. */
export interface UnitResult {
  readonly passed: boolean;
  /** The first error: `name: message`, then its stack. */
  readonly error?: string;
  readonly durationMs: number;
}

/** vitest's default in browser mode. */
const DEFAULT_TIMEOUT_MS = 15_000;

const root: Suite = { _names: [], _parent: undefined, _beforeEach: [], _afterEach: [] };
let current = root;
const tests = new Map<string, RegisteredTest>();
const duplicates: string[] = [];

export function withSuite(name: string, body: () => void): void {
  const parent = current;
  current = { _names: [...parent._names, name], _parent: parent, _beforeEach: [], _afterEach: [] };
  try {
    body();
  } finally {
    current = parent;
  }
}

export function registerTest(name: string, body: TestBody, timeout = DEFAULT_TIMEOUT_MS): void {
  const fullName = [...current._names, name].join(NAME_SEPARATOR);
  if (tests.has(fullName)) duplicates.push(fullName);
  tests.set(fullName, { _suite: current, _body: body, _timeout: timeout });
}

export function registerHook(kind: 'beforeEach' | 'afterEach', hook: Hook): void {
  current[kind === 'beforeEach' ? '_beforeEach' : '_afterEach'].push(hook);
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const head = `${error.name}: ${error.message}`;
    return error.stack?.includes(error.message) ? error.stack : `${head}\n${error.stack ?? ''}`;
  }
  return String(error);
}

function withTimeout(run: () => unknown, timeoutMs: number, what: string): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out in ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([Promise.resolve().then(run), timedOut]).finally(() => clearTimeout(timer));
}

function suitesOf(suite: Suite): Suite[] {
  const chain: Suite[] = [];
  for (let at: Suite | undefined = suite; at; at = at._parent) chain.unshift(at);
  return chain;
}

/** Where an uncaught error or unhandled rejection goes while a test runs. */
let uncaughtErrors: unknown[] | undefined;

/**
 * Like vitest's browser mode: an uncaught error (or unhandled rejection) fails the running test
 * unless the page has a listener of its own for that event (e.g. a test of error capture). Only
 * listeners added while the test files load or a test runs count: a driver's own recorder (the
 * WebKit driver adds one after each load) does not.
 */
function catchUncaught(type: 'error' | 'unhandledrejection', reasonOf: (event: any) => unknown) {
  const ownListeners = new Set<unknown>();
  const add = window.addEventListener.bind(window);
  const remove = window.removeEventListener.bind(window);
  add(type, (event: Event) => {
    if (ownListeners.size === 0) uncaughtErrors?.push(reasonOf(event));
  });
  window.addEventListener = function (...args: Parameters<typeof add>) {
    const ours = uncaughtErrors !== undefined || document.readyState !== 'complete';
    if (args[0] === type && ours) ownListeners.add(args[1]);
    return add(...args);
  } as typeof add;
  window.removeEventListener = function (...args: Parameters<typeof remove>) {
    if (args[0] === type) ownListeners.delete(args[1]);
    return remove(...args);
  } as typeof remove;
}
catchUncaught('error', (event: ErrorEvent) => event.error ?? event.message);
catchUncaught('unhandledrejection', (event: PromiseRejectionEvent) => event.reason);

async function runTest(fullName: string): Promise<UnitResult> {
  const registered = tests.get(fullName);
  if (!registered) return { passed: false, error: `no test named "${fullName}"`, durationMs: 0 };
  const started = performance.now();
  const errors: unknown[] = [];
  uncaughtErrors = errors;
  const suites = suitesOf(registered._suite);
  const teardowns: Hook[] = [];
  try {
    for (const suite of suites) {
      for (const hook of suite._beforeEach) {
        const teardown = await withTimeout(hook, registered._timeout, 'beforeEach hook');
        if (typeof teardown === 'function') teardowns.unshift(teardown as Hook);
      }
    }
    await withTimeout(registered._body, registered._timeout, 'test');
  } catch (error) {
    errors.push(error);
  }
  const afterHooks = [
    ...[...suites].reverse().flatMap((suite) => [...suite._afterEach].reverse()),
    ...teardowns,
  ];
  for (const hook of afterHooks) {
    try {
      await withTimeout(hook, registered._timeout, 'afterEach hook');
    } catch (error) {
      errors.push(error);
    }
  }
  uncaughtErrors = undefined;
  const durationMs = Math.round(performance.now() - started);
  if (!errors.length) return { passed: true, durationMs };
  return { passed: false, error: describeError(errors[0]), durationMs };
}

export interface BrowserUnits {
  /** Full names (`suite > test`) in registration order; duplicates make `list` throw. */
  list(): string[];
  run(fullName: string): Promise<UnitResult>;
}

declare global {
  interface Window {
    browserUnits?: BrowserUnits;
  }
}

window.browserUnits = {
  list() {
    if (duplicates.length) throw new Error(`tests registered twice: ${duplicates.join('; ')}`);
    return [...tests.keys()];
  },
  run: runTest,
};
