import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// A page for e2e/browserUnits.spec.ts to check the in-page runner itself: every test here but
// the first must be reported failed with its own message, and the hooks run in vitest's order.

const order: string[] = [];
(window as any).runnerCheckOrder = order;

beforeEach(() => {
  order.push('beforeEach outer');
});
afterEach(() => {
  order.push('afterEach outer');
});

describe('runner check', () => {
  beforeEach(() => {
    order.push('beforeEach inner');
    return () => order.push('cleanup inner');
  });
  afterEach(() => {
    order.push('afterEach inner');
  });

  it('passes, with a spy that is restored', () => {
    order.push('body');
    const spy = vi.spyOn(Math, 'max').mockImplementation(() => -1);
    expect(Math.max(1, 2)).toBe(-1);
    expect(spy).toHaveBeenCalledTimes(1);
    vi.restoreAllMocks();
    expect(Math.max(1, 2)).toBe(2);
    expect({ at: 1, extra: true }).toMatchObject({ at: expect.any(Number) });
  });

  it('fails an expect', () => {
    expect({ answer: 41 }).toEqual({ answer: 42 });
  });

  it('fails on an uncaught error', async () => {
    setTimeout(() => {
      throw new Error('uncaught in a timer');
    });
    // The page's own load-error listener (added before the runner's) sees it too: wait for that.
    await vi.waitFor(() => expect(window.browserUnitsLoadErrors!.join()).toContain('in a timer'));
  });

  it('fails when vi.waitFor gives up', async () => {
    await vi.waitFor(() => expect('never').toBe('ready'), { timeout: 100, interval: 10 });
  });

  it('fails on its timeout', () => new Promise(() => undefined), 200);
});
