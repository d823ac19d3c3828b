/**
 * One small API to drive a browser scenario in any engine, so a delivery scenario is written once
 * and runs in Chromium (Playwright), Firefox ESR (puppeteer-core over WebDriver BiDi) and
 * WebKitGTK's MiniBrowser (WebKitWebDriver, W3C WebDriver over HTTP, under Xvfb).
 *
 * @example
 * ```ts
 * import { launchEngine } from './driver/index.js';
 * const engine = await launchEngine('firefox', { baseURL: 'http://127.0.0.1:4401' });
 * const tab = await engine.newTab('/e2e/idb.html?sid=x&n=100&run=a'); // waits for load
 * await tab.waitFor(() => (window as any).logged === true);
 * const stats = await tab.evaluate((n) => (window as any).burst(n), 50);
 * await tab.close(); // at once: the page gets pagehide, nothing waits for it
 * const other = await engine.newTab(); // same profile: same IndexedDB and localStorage
 * await other.goto('/e2e/idb.html?sid=x'); // relative to baseURL; also reload()
 * if (!engine.capabilities.supportsWindowOpen) console.log('MiniBrowser: window.open is null');
 * console.log(await other.pageErrors(), await other.consoleEntries());
 * await engine.quit();
 * ```
 *
 * - Launch each browser once per suite (Firefox takes 6–13 s): in Playwright tests use the
 *   worker fixture `engine` and the test fixture `tab` from `e2e/fixtures.ts`.
 * - Page functions are serialized with `toString()`: pass data through the one `arg`.
 * - WebKit needs an X display: `startXvfb(displayForPort(port))` from `./xvfb.js` (the e2e global
 *   setup does it) or `$DISPLAY`.
 * - `capabilities` says what an engine cannot do (`supportsWindowOpen`, `supportsFreeze`,
 *   `supportsConsoleEvents`, `supportsPageErrors`, `supportsProcessKill`); skip that step only.
 * - Process kill: `launchEngine(name, { baseURL, profileDir })`, `engine.kill()`, then launch
 *   again on the same `profileDir`.
 */
import { launchChromium } from './chromium.js';
import { launchFirefox } from './firefox.js';
import type { Engine, EngineName, LaunchOptions } from './types.js';
import { launchWebKit } from './webkit.js';

export type * from './types.js';
export { ENGINE_NAMES } from './types.js';
export { displayForPort, startXvfb, type XvfbServer } from './xvfb.js';
export { pollUntil } from './waitFor.js';

const LAUNCHERS: Record<EngineName, (options: LaunchOptions) => Promise<Engine>> = {
  chromium: launchChromium,
  firefox: launchFirefox,
  webkit: launchWebKit,
};

/** Starts `name`'s browser (and its driver process, for WebKit). Call `quit()` when done. */
export function launchEngine(name: EngineName, options: LaunchOptions): Promise<Engine> {
  return LAUNCHERS[name](options);
}
