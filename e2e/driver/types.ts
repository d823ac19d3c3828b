/** The three engines the suites run in. */
export type EngineName = 'chromium' | 'firefox' | 'webkit';

export const ENGINE_NAMES: readonly EngineName[] = ['chromium', 'firefox', 'webkit'];

/** What an engine (through its driver) can do. A test skips only the step a flag rules out. */
export interface EngineCapabilities {
  /** `window.open()` returns a window (false in MiniBrowser's automation mode: it returns null). */
  readonly supportsWindowOpen: boolean;
  /**
   * The engine has the Page Lifecycle `freeze` event (`document.onfreeze`): Chromium only. No driver
   * can trigger it here (CDP `Page.setWebLifecycleState` fires nothing in headless Chromium 156), so
   * freeze handling is covered by unit tests with a fake lifecycle.
   */
  readonly supportsFreeze: boolean;
  /** Console calls are reported by the driver from the first script on (not WebDriver classic). */
  readonly supportsConsoleEvents: boolean;
  /** Uncaught errors are reported by the driver from the first script on (not WebDriver classic). */
  readonly supportsPageErrors: boolean;
  /** The browser can be SIGKILLed and relaunched on the same profile, keeping IndexedDB. */
  readonly supportsProcessKill: boolean;
}

/** One console call as the driver saw it. */
export interface ConsoleEntry {
  /** `log`, `debug`, `info`, `warn` (Playwright says `warning`; normalized to `warn`), `error`. */
  readonly type: string;
  readonly text: string;
  /**
   * The call's arguments as JSON values, when the driver can serialize them (read when asked for:
   * not for a call of a page that is gone).
   */
  readonly args?: readonly unknown[];
}

export interface GotoOptions {
  /** `load` (default) waits for the load event; `commit` returns once the new document exists. */
  readonly waitUntil?: 'load' | 'commit';
}

export interface WaitOptions {
  /** @default 10_000 */
  readonly timeout?: number;
  /** @default 50 */
  readonly interval?: number;
}

/** A function run in the page: serialized with `toString()`, so it must not close over Node values. */
export type PageFunction<Arg, Result> = (arg: Arg) => Result | Promise<Result>;

/** One tab of the engine's (one) profile. */
export interface Tab {
  readonly engine: EngineName;
  /** Navigates this tab (same tab: the previous page gets pagehide). Relative URLs use the base URL. */
  goto(url: string, options?: GotoOptions): Promise<void>;
  reload(): Promise<void>;
  evaluate<Result, Arg = undefined>(fn: PageFunction<Arg, Result>, arg?: Arg): Promise<Result>;
  /** Polls `fn` in the page until it returns a truthy value; throws with `fn`'s source on timeout. */
  waitFor<Arg = undefined>(
    fn: PageFunction<Arg, unknown>,
    arg?: Arg,
    options?: WaitOptions,
  ): Promise<void>;
  /** Closes the tab at once (no beforeunload prompt): the page gets pagehide, nothing waits. */
  close(): Promise<void>;
  /** Uncaught errors and unhandled rejections seen so far (see `supportsPageErrors`). */
  pageErrors(): Promise<string[]>;
  /** Console calls seen so far (see `supportsConsoleEvents`). */
  consoleEntries(): Promise<ConsoleEntry[]>;
  /** A full-page PNG at `path` (Chromium only: the README's demo screenshot). */
  screenshot?(path: string): Promise<void>;
}

/** A running browser: one profile, any number of tabs. */
export interface Engine {
  readonly name: EngineName;
  /** The browser's version as it reports it, e.g. `156.0.8078.129`. */
  readonly version: string;
  readonly capabilities: EngineCapabilities;
  readonly baseURL: string;
  /** A new tab in the same profile (shares IndexedDB, localStorage, Web Locks), optionally at `url`. */
  newTab(url?: string, options?: GotoOptions): Promise<Tab>;
  /** Closes every tab and the browser; also stops any driver process the engine started. */
  quit(): Promise<void>;
  /** SIGKILLs the browser process group (no page event runs). Only when `supportsProcessKill`. */
  kill?(): Promise<void>;
}

export interface LaunchOptions {
  /** Relative URLs in `goto`/`newTab` resolve against it, e.g. `http://127.0.0.1:4400`. */
  readonly baseURL: string;
  /** A profile directory that outlives the browser (for kill + relaunch). Default: a fresh one. */
  readonly profileDir?: string;
  /** X display for WebKit's MiniBrowser (no headless mode), e.g. `:410`. Default: `$DISPLAY`. */
  readonly display?: string;
}
