import type { Engine, Tab } from './driver/index.js';
import { expect } from './fixtures.js';
import { expectRecordedFromStart, recordedUrl } from './pageRecorder.js';

// Driving the demo page (demo/public) through the driver layer in every engine: clicks, selects and
// inputs happen in the page (element.click(), a value set plus the events a user's change fires),
// and what the page shows is read back with evaluate and polled with expect.poll.

/** What an assertion on the page waits for its condition: generous, for a loaded machine. */
export const SHOWN_MS = 10_000;

export const newSid = (name: string) =>
  `demo-${name}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

/**
 * Opens the demo for `sid` and waits until it is ready. Page errors are seen from the first script
 * in every engine (`tab.pageErrors()`; see pageRecorder.ts); `recordAlways` adds the page recorder
 * in every engine (for its CSP violations).
 */
export async function openDemo(
  engine: Engine,
  tab: Tab,
  sid: string,
  query = '',
  recordAlways = false,
) {
  await tab.goto(recordedUrl(engine, `/?sid=${sid}${query}`, recordAlways));
  await expect.poll(() => textOf(tab, '#status'), { timeout: SHOWN_MS }).toBe('ready');
  await expectRecordedFromStart(engine, tab, recordAlways);
}

/** Clicks the element in the page (a submit button also submits its form). */
export function click(tab: Tab, selector: string) {
  return tab.evaluate((sel) => {
    const element = document.querySelector<HTMLElement>(sel);
    if (!element) throw new Error(`no element ${sel}`);
    element.click();
  }, selector);
}

/** Sets a select's or an input's value and fires `input` and `change`, as a user's edit would. */
export function setValue(tab: Tab, selector: string, value: string) {
  return tab.evaluate(
    ({ sel, to }) => {
      const element = document.querySelector<HTMLInputElement | HTMLSelectElement>(sel);
      if (!element) throw new Error(`no element ${sel}`);
      element.value = to;
      if (element.value !== to) throw new Error(`${sel} has no option ${to}`);
      element.dispatchEvent(new Event('input', { bubbles: true }));
      element.dispatchEvent(new Event('change', { bubbles: true }));
    },
    { sel: selector, to: value },
  );
}

/** The element's text with whitespace collapsed (as Playwright's toHaveText compares it). */
export function textOf(tab: Tab, selector: string): Promise<string | null> {
  return tab.evaluate((sel) => {
    const element = document.querySelector(sel);
    return element ? (element.textContent ?? '').replace(/\s+/g, ' ').trim() : null;
  }, selector);
}

export function attributeOf(tab: Tab, selector: string, name: string): Promise<string | null> {
  return tab.evaluate(
    ({ sel, attribute }) => document.querySelector(sel)?.getAttribute(attribute) ?? null,
    { sel: selector, attribute: name },
  );
}

/** Number of elements matching `selector`. */
export function countOf(tab: Tab, selector: string): Promise<number> {
  return tab.evaluate((sel) => document.querySelectorAll(sel).length, selector);
}

/** True when the element is missing or not rendered (`hidden`, `display: none`). */
export function isHidden(tab: Tab, selector: string): Promise<boolean> {
  return tab.evaluate((sel) => {
    const element = document.querySelector<HTMLElement>(sel);
    return !element || element.hidden !== false || getComputedStyle(element).display === 'none';
  }, selector);
}

/** Polls the element's text until it is `expected` (within `timeout`). */
export async function expectText(tab: Tab, selector: string, expected: string, timeout = SHOWN_MS) {
  await expect.poll(() => textOf(tab, selector), { timeout, message: selector }).toBe(expected);
}
