/**
 * What `vitest` is in a page of the browser unit tests run through the driver layer (Firefox and
 * WebKit; see e2e/browserUnits.spec.ts): the bundler aliases `vitest` to this module. It offers the
 * part of vitest's API that test/browser/*.test.ts use — `describe`, `it`/`test`, `beforeEach`,
 * `afterEach`, vitest's own `expect` (@vitest/expect on chai) and `vi.spyOn` / `vi.restoreAllMocks`
 * / `vi.fn` / `vi.waitFor` (@vitest/spy) — and registers the tests on `window.browserUnits`, where
 * the spec lists them and runs them one at a time, in file order, like vitest.
 */
import * as chai from 'chai';
import {
  ASYMMETRIC_MATCHERS_OBJECT,
  GLOBAL_EXPECT,
  JestAsymmetricMatchers,
  JestChaiExpect,
  JestExtend,
  getState,
  setState,
  type ExpectStatic,
} from '@vitest/expect';
import { fn, restoreAllMocks, spyOn } from '@vitest/spy';
import { registerTest, registerHook, withSuite, type TestBody } from './registry.js';

chai.use(JestExtend);
chai.use(JestChaiExpect);
chai.use(JestAsymmetricMatchers);

function createExpect(): ExpectStatic {
  const expectFn = ((value: unknown, message?: string) => {
    const { assertionCalls } = getState(expectFn);
    setState({ assertionCalls: assertionCalls + 1 }, expectFn);
    return chai.expect(value, message);
  }) as unknown as ExpectStatic;
  Object.assign(expectFn, chai.expect);
  Object.assign(expectFn, (globalThis as any)[ASYMMETRIC_MATCHERS_OBJECT]);
  expectFn.getState = () => getState(expectFn);
  expectFn.setState = (state) => setState(state, expectFn);
  setState(
    {
      assertionCalls: 0,
      isExpectingAssertions: false,
      isExpectingAssertionsError: null,
      expectedAssertionsNumber: null,
      expectedAssertionsNumberErrorGen: null,
    },
    expectFn,
  );
  return expectFn;
}

export const expect = createExpect();
Object.defineProperty(globalThis, GLOBAL_EXPECT, {
  value: expect,
  writable: true,
  configurable: true,
});

export function describe(name: string, body: () => void): void {
  withSuite(name, body);
}

export function it(name: string, body: TestBody, timeout?: number): void {
  registerTest(name, body, timeout);
}
export const test = it;

export function beforeEach(hook: () => unknown): void {
  registerHook('beforeEach', hook);
}

export function afterEach(hook: () => unknown): void {
  registerHook('afterEach', hook);
}

interface WaitForOptions {
  timeout?: number;
  interval?: number;
}

/** vitest's `vi.waitFor`: calls `check` until it neither throws nor rejects; on timeout, its last error. */
async function waitFor<T>(check: () => T | Promise<T>, options: number | WaitForOptions = {}) {
  const { timeout = 1000, interval = 50 } =
    typeof options === 'number' ? { timeout: options } : options;
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

export const vi = { fn, spyOn, restoreAllMocks, waitFor };
