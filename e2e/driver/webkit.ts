import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { ConsoleEntry, Engine, GotoOptions, LaunchOptions, Tab } from './types.js';
import { pollUntil, waitInPage } from './waitFor.js';
import { newSession, type WebDriverSession } from './webdriverClient.js';

// WebKitGTK's MiniBrowser through WebKitWebDriver (W3C WebDriver over HTTP). MiniBrowser has no
// headless mode: it needs an X display (Xvfb, started by the suite's global setup). WebDriver
// classic has no event stream, so page errors and console calls are recorded by a script the
// driver installs after each load (calls made while the page loaded are not seen).

export const WEBKIT_DRIVER_PATH = process.env.WEBKIT_DRIVER_PATH ?? '/usr/bin/WebKitWebDriver';
export const MINIBROWSER_PATH =
  process.env.MINIBROWSER_PATH ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

// Scripts may await long delivery scenarios; navigation is awaited by the driver itself.
const SCRIPT_TIMEOUT_MS = 300_000;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function startDriver(display: string) {
  const port = await freePort();
  const child: ChildProcess = spawn(WEBKIT_DRIVER_PATH, [`--port=${port}`, '--host=local'], {
    env: { ...process.env, DISPLAY: display },
    stdio: 'ignore',
    detached: true, // its own process group: quit() also takes down MiniBrowser if it hangs
  });
  const url = `http://127.0.0.1:${port}`;
  await pollUntil(
    async () => ((await (await fetch(`${url}/status`)).json()) as any).value?.ready,
    `WebKitWebDriver on port ${port}`,
    { timeout: 15_000 },
  );
  return { url, child };
}

// The async-script wrapper: runs the page function, reports its value or its error, keeps
// `undefined` apart from `null`. The function's source is inlined (no eval in the page: the
// strict-CSP pages must not see one).
const asyncScript = (source: string, hasArg: boolean) => `
const done = arguments[arguments.length - 1];
const arg = ${hasArg ? 'arguments[0]' : 'undefined'};
Promise.resolve().then(() => (${source})(arg)).then(
  (value) => done({ ok: true, undefined: value === undefined, value: value === undefined ? null : value }),
  (error) => done({ ok: false, error: String(error) + ' ' + ((error && error.stack) || '') }),
);`;

/** Installed after each load: records uncaught errors, unhandled rejections and console calls. */
function installRecorder() {
  const w = window as any;
  if (w.__e2eRecorder) return;
  const recorder = { errors: [] as string[], console: [] as unknown[] };
  w.__e2eRecorder = recorder;
  addEventListener('error', (event) => recorder.errors.push(String(event.error ?? event.message)));
  addEventListener('unhandledrejection', (event) =>
    recorder.errors.push(`Unhandled rejection: ${String(event.reason)}`),
  );
  for (const type of ['log', 'debug', 'info', 'warn', 'error'] as const) {
    const original = console[type];
    console[type] = (...args: unknown[]) => {
      let json: unknown[] | undefined;
      try {
        json = JSON.parse(JSON.stringify(args));
      } catch {
        json = undefined;
      }
      recorder.console.push({ type, text: args.map(String).join(' '), args: json });
      original.apply(console, args);
    };
  }
}

function webkitTab(
  session: WebDriverSession,
  handle: string,
  switchTo: (handle: string) => Promise<void>,
  onClosed: (handle: string) => void,
  resolveUrl: (url: string) => string,
): Tab {
  const previousErrors: string[] = [];
  const previousConsole: ConsoleEntry[] = [];
  const inTab = <T>(fn: () => Promise<T>) =>
    session.exclusive(async () => {
      await switchTo(handle);
      return fn();
    });
  const evaluate = async (fn: (arg: any) => unknown, arg?: unknown) => {
    const result = await inTab(() =>
      session.command<{ ok: boolean; undefined?: boolean; value?: unknown; error?: string }>(
        'POST',
        '/execute/async',
        {
          script: asyncScript(fn.toString(), arg !== undefined),
          args: arg === undefined ? [] : [arg],
        },
      ),
    );
    if (!result.ok) throw new Error(`evaluate failed in WebKit: ${result.error}`);
    return result.undefined ? undefined : result.value;
  };
  /** Keeps what the current document recorded before it goes away. */
  const harvest = async () => {
    const recorded = (await evaluate(() => {
      const recorder = (window as any).__e2eRecorder;
      return recorder ? { errors: recorder.errors, console: recorder.console } : null;
    }).catch(() => null)) as { errors: string[]; console: ConsoleEntry[] } | null;
    if (recorded) {
      previousErrors.push(...recorded.errors);
      previousConsole.push(...recorded.console);
    }
  };
  /** Runs a navigation command and waits for the new document (pageLoadStrategy is `none`). */
  const navigate = async (start: () => Promise<unknown>, options: GotoOptions) => {
    await harvest();
    const token = `${Date.now()}-${Math.random()}`;
    await evaluate((t) => ((window as any).__e2eNavigation = t), token).catch(() => undefined);
    await inTab(start);
    const commitOnly = options.waitUntil === 'commit';
    await waitInPage(
      tab,
      ([t, commit]) =>
        (window as any).__e2eNavigation !== t && (commit || document.readyState === 'complete'),
      [token, commitOnly] as const,
      { timeout: 30_000 },
    );
    await evaluate(installRecorder);
  };
  const tab: Tab = {
    engine: 'webkit',
    goto: (url, options = {}) =>
      navigate(() => session.command('POST', '/url', { url: resolveUrl(url) }), options),
    reload: () => navigate(() => session.command('POST', '/refresh'), {}),
    evaluate: evaluate as Tab['evaluate'],
    waitFor: (fn, arg, options) => waitInPage(tab, fn, arg, options),
    async close() {
      await harvest();
      await inTab(() => session.command('DELETE', '/window'));
      onClosed(handle);
    },
    async pageErrors() {
      const current = (await evaluate(() => (window as any).__e2eRecorder?.errors ?? []).catch(
        () => [],
      )) as string[];
      return [...previousErrors, ...current];
    },
    async consoleEntries() {
      const current = (await evaluate(() => (window as any).__e2eRecorder?.console ?? []).catch(
        () => [],
      )) as ConsoleEntry[];
      return [...previousConsole, ...current];
    },
  };
  return tab;
}

export async function launchWebKit(options: LaunchOptions): Promise<Engine> {
  const display = options.display ?? process.env.DISPLAY;
  if (!display) throw new Error('WebKit needs an X display: start Xvfb (see e2e/driver/xvfb.ts)');
  const resolveUrl = (url: string) => new URL(url, options.baseURL).href;
  const driver = await startDriver(display);
  let session: WebDriverSession;
  try {
    session = await newSession(driver.url, {
      pageLoadStrategy: 'none',
      'webkitgtk:browserOptions': { binary: MINIBROWSER_PATH, args: ['--automation'] },
    });
  } catch (error) {
    process.kill(-driver.child.pid!, 'SIGKILL');
    throw error;
  }
  const version = String(session.capabilities.browserVersion);
  let current = await session.exclusive(() => session.command<string>('GET', '/window'));
  // The first window stays open for the whole run: closing a session's last window ends it.
  const anchor = current;
  await session.exclusive(() =>
    session.command('POST', '/timeouts', { script: SCRIPT_TIMEOUT_MS, pageLoad: 60_000 }),
  );
  const switchTo = async (handle: string) => {
    if (handle === current) return;
    await session.command('POST', '/window', { handle });
    current = handle;
  };
  const onClosed = (handle: string) => {
    if (current === handle) current = '';
  };
  return {
    name: 'webkit',
    version,
    baseURL: options.baseURL,
    capabilities: {
      supportsWindowOpen: false,
      supportsFreeze: false,
      supportsConsoleEvents: false,
      supportsPageErrors: false,
      supportsProcessKill: false,
    },
    async newTab(url, gotoOptions) {
      const handle = await session.exclusive(async () => {
        await switchTo(anchor);
        // A window, not a tab: MiniBrowser's new tabs stay in the background, where a page's
        // timers barely run (a steady-logging page never finished).
        const created = await session.command<{ handle: string }>('POST', '/window/new', {
          type: 'window',
        });
        return created.handle;
      });
      const tab = webkitTab(session, handle, switchTo, onClosed, resolveUrl);
      if (url) await tab.goto(url, gotoOptions);
      return tab;
    },
    async quit() {
      await session.exclusive(() => session.command('DELETE', '')).catch(() => undefined);
      if (driver.child.exitCode === null) {
        const exited = new Promise((resolve) => driver.child.once('exit', resolve));
        process.kill(-driver.child.pid!, 'SIGTERM');
        await exited;
      }
    },
  };
}
