import type { PageFunction, Tab, WaitOptions } from './types.js';

export const DEFAULT_WAIT_MS = 10_000;
const DEFAULT_INTERVAL_MS = 50;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `check` until it returns a truthy value. Errors thrown while polling (a page that is still
 * navigating) count as "not yet"; the last one is reported if the time runs out.
 */
export async function pollUntil(
  check: () => Promise<unknown>,
  describe: string,
  { timeout = DEFAULT_WAIT_MS, interval = DEFAULT_INTERVAL_MS }: WaitOptions = {},
): Promise<void> {
  const deadline = Date.now() + timeout;
  let lastError: unknown;
  for (;;) {
    try {
      if (await check()) return;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const why = lastError ? ` (last error: ${String(lastError)})` : '';
      throw new Error(`timed out after ${timeout} ms waiting for ${describe}${why}`);
    }
    await sleep(interval);
  }
}

/** `Tab.waitFor` for any tab: polls `tab.evaluate(fn, arg)`. */
export function waitInPage<Arg>(
  tab: Pick<Tab, 'evaluate'>,
  fn: PageFunction<Arg, unknown>,
  arg: Arg | undefined,
  options?: WaitOptions,
): Promise<void> {
  return pollUntil(
    () => tab.evaluate(fn, arg as Arg),
    `${fn.toString().slice(0, 120)} to be truthy`,
    options,
  );
}
