import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type ConsoleMessage, type Page } from 'puppeteer-core';
import type { ConsoleEntry, Engine, GotoOptions, LaunchOptions, Tab } from './types.js';
import { waitInPage } from './waitFor.js';

// Debian's firefox-esr through puppeteer-core over WebDriver BiDi: no geckodriver, no display.
// Launching takes 6–13 s (the first ever ~24 s), so a suite launches it once.

export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

// Quiet and offline: no telemetry, updates or remote settings on this closed network.
const FIREFOX_PREFS: Record<string, unknown> = {
  'app.update.enabled': false,
  'browser.shell.checkDefaultBrowser': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.enabled': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  // window.open without a user gesture (the "closed by its opener" scenarios) is not blocked.
  'dom.disable_open_during_load': false,
  // Background tabs keep their timers at full rate, as a visible tab's would be (the tab tests
  // log from several tabs at once).
  'dom.min_background_timeout_value': 4,
  'dom.timeout.enable_budget_timer_throttling': false,
};

async function consoleEntry(message: ConsoleMessage): Promise<ConsoleEntry> {
  const args = await Promise.all(
    message.args().map((handle) => handle.jsonValue().catch(() => undefined)),
  );
  return { type: message.type(), text: message.text(), args };
}

function firefoxTab(page: Page, resolveUrl: (url: string) => string): Tab {
  const errors: string[] = [];
  // Arguments are read when the test asks (each is a protocol round trip: read at every call, a
  // page logging a few thousand lines stalled for a minute); a gone page's calls have no args.
  const consoleMessages: ConsoleMessage[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (message) => consoleMessages.push(message));
  const tab: Tab = {
    engine: 'firefox',
    async goto(url: string, options: GotoOptions = {}) {
      // puppeteer has no "commit"; `domcontentloaded` would wait for held scripts, so `commit`
      // starts the navigation and waits for the new document's URL instead.
      const target = resolveUrl(url);
      if (options.waitUntil === 'commit') {
        void page.goto(target, { waitUntil: 'load', timeout: 0 }).catch(() => undefined);
        await waitInPage(tab, (href) => location.href === href, target);
        return;
      }
      await page.goto(target, { waitUntil: 'load' });
    },
    async reload() {
      await page.reload({ waitUntil: 'load' });
    },
    evaluate: (fn, arg) => page.evaluate(fn as never, arg) as never,
    waitFor: (fn, arg, options) => waitInPage(tab, fn, arg, options),
    close: () => page.close({ runBeforeUnload: false }),
    pageErrors: async () => [...errors],
    consoleEntries: () => Promise.all(consoleMessages.map(consoleEntry)),
  };
  return tab;
}

export async function launchFirefox(options: LaunchOptions): Promise<Engine> {
  const resolveUrl = (url: string) => new URL(url, options.baseURL).href;
  // A profile we create is ours to delete; one passed in outlives the browser (kill + relaunch).
  const ownProfile = options.profileDir
    ? undefined
    : mkdtempSync(join(tmpdir(), 'mvx-firefox-profile-'));
  const browser: Browser = await puppeteer.launch({
    browser: 'firefox',
    protocol: 'webDriverBiDi',
    executablePath: FIREFOX_PATH,
    headless: true,
    userDataDir: options.profileDir ?? ownProfile,
    extraPrefsFirefox: FIREFOX_PREFS,
  });
  const version = (await browser.version()).replace(/^firefox\//i, '');
  const removeProfile = () => {
    if (ownProfile) rmSync(ownProfile, { recursive: true, force: true });
  };
  return {
    name: 'firefox',
    version,
    baseURL: options.baseURL,
    capabilities: {
      supportsWindowOpen: true,
      supportsFreeze: false,
      supportsConsoleEvents: true,
      supportsPageErrors: true,
      supportsProcessKill: true,
    },
    async newTab(url, gotoOptions) {
      const tab = firefoxTab(await browser.newPage(), resolveUrl);
      if (url) await tab.goto(url, gotoOptions);
      return tab;
    },
    async quit() {
      await browser.close().catch(() => undefined);
      removeProfile();
    },
    async kill() {
      const child = browser.process();
      if (!child?.pid) throw new Error('no Firefox process to kill');
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(-child.pid, 'SIGKILL'); // the whole group: content processes die too
      await exited;
      await browser.disconnect().catch(() => undefined);
      removeProfile();
    },
  };
}
