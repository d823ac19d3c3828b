import { spawn, type ChildProcess } from 'node:child_process';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type ConsoleMessage,
  type Page,
} from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../test/chromium.js';
import type { ConsoleEntry, Engine, GotoOptions, LaunchOptions, Tab } from './types.js';
import { waitInPage } from './waitFor.js';

// Chromium through Playwright (CDP). With a profile directory the browser is started by hand and
// connected over CDP, so `kill()` can SIGKILL its process group like a real crash.

const normalizeType = (type: string) => (type === 'warning' ? 'warn' : type);

async function consoleEntry(message: ConsoleMessage): Promise<ConsoleEntry> {
  const args = await Promise.all(
    message.args().map((handle) => handle.jsonValue().catch(() => undefined)),
  );
  return { type: normalizeType(message.type()), text: message.text(), args };
}

function chromiumTab(page: Page, resolveUrl: (url: string) => string): Tab {
  const errors: string[] = [];
  // Arguments are read when the test asks (each is a protocol round trip: read at every call, a
  // page logging a few thousand lines stalled for a minute); a gone page's calls have no args.
  const consoleMessages: ConsoleMessage[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (message) => consoleMessages.push(message));
  const tab: Tab = {
    engine: 'chromium',
    async goto(url: string, options: GotoOptions = {}) {
      await page.goto(resolveUrl(url), { waitUntil: options.waitUntil ?? 'load' });
    },
    async reload() {
      await page.reload();
    },
    evaluate: (fn, arg) => page.evaluate(fn, arg as never),
    waitFor: (fn, arg, options) => waitInPage(tab, fn, arg, options),
    close: () => page.close({ runBeforeUnload: false }),
    pageErrors: async () => [...errors],
    consoleEntries: () => Promise.all(consoleMessages.map(consoleEntry)),
    async screenshot(path) {
      await page.screenshot({ path, fullPage: true });
    },
  };
  return tab;
}

/** Starts Chromium on `profileDir` ourselves and connects over CDP, so it can be SIGKILLed. */
async function launchKillable(profileDir: string) {
  const child = spawn(
    CHROMIUM_PATH,
    [
      ...CHROMIUM_ARGS,
      '--headless=new',
      '--remote-debugging-port=0',
      `--user-data-dir=${profileDir}`,
      'about:blank',
    ],
    { detached: true, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const endpoint = await new Promise<string>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`no DevTools URL: ${text}`)), 30_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(text);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
  const browser = await chromium.connectOverCDP(endpoint);
  return { browser, context: browser.contexts()[0], child };
}

export async function killProcessGroup(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-child.pid!, 'SIGKILL');
  await exited;
}

export async function launchChromium(options: LaunchOptions): Promise<Engine> {
  const resolveUrl = (url: string) => new URL(url, options.baseURL).href;
  let browser: Browser;
  let context: BrowserContext;
  let child: ChildProcess | undefined;
  if (options.profileDir) {
    ({ browser, context, child } = await launchKillable(options.profileDir));
  } else {
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
      headless: true,
    });
    context = await browser.newContext();
  }
  return {
    name: 'chromium',
    version: browser.version(),
    baseURL: options.baseURL,
    capabilities: {
      supportsWindowOpen: true,
      supportsFreeze: true,
      supportsConsoleEvents: true,
      supportsPageErrors: true,
      supportsProcessKill: true,
    },
    async newTab(url, gotoOptions) {
      const tab = chromiumTab(await context.newPage(), resolveUrl);
      if (url) await tab.goto(url, gotoOptions);
      return tab;
    },
    async quit() {
      await browser.close().catch(() => undefined);
      if (child) await killProcessGroup(child);
    },
    async kill() {
      if (!child) throw new Error('kill() needs a browser launched with a profileDir');
      await killProcessGroup(child);
      await browser.close().catch(() => undefined);
    },
  };
}
