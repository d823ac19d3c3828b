/** The slice of `EventTarget` the page-exit listeners need. */
export interface LifecycleTarget {
  addEventListener(type: string, listener: (event: { persisted?: boolean }) => void): void;
  removeEventListener(type: string, listener: (event: { persisted?: boolean }) => void): void;
}

/** Where page lifecycle events come from: the page's `document` and `window` (or fakes). */
export interface PageLifecycle {
  readonly document: LifecycleTarget & { readonly visibilityState?: string };
  readonly window: LifecycleTarget;
}

/** Which signal announced the exit. `hidden` may come back; `pagehide`/`freeze` stop the page. */
export type PageExitKind = 'hidden' | 'pagehide' | 'freeze';

/** Handlers of {@link onPageExit}. */
export interface PageExitHandlers {
  /** The page may be going away: hand off synchronously, there is no time for `await`. */
  exit(kind: PageExitKind): void;
  /** The page is back (visible, restored from the back/forward cache, or unfrozen). */
  resume(): void;
}

/**
 * The global document/window pair, read lazily; `undefined` in workers, service workers and Node.
 */
export function defaultPageLifecycle(): PageLifecycle | undefined {
  const g = globalThis as { document?: PageLifecycle['document']; window?: LifecycleTarget };
  const d = g.document;
  const w = g.window;
  return d && w && typeof d.addEventListener === 'function'
    ? { document: d, window: w }
    : undefined;
}

/**
 * Listens for the exit signals that fire reliably: `visibilitychange` → hidden, `pagehide`, and
 * `freeze` where supported. Never `unload`/`beforeunload`: they break the back/forward cache and
 * do not fire on mobile when the app is swiped away.
 * @param lifecycle - the document/window pair to listen on
 * @param handlers - called on exit and on return
 * @returns a function that removes every listener
 */
export function onPageExit(lifecycle: PageLifecycle, handlers: PageExitHandlers): () => void {
  const { document: doc, window: win } = lifecycle;
  const visibility = () => {
    if (doc.visibilityState === 'hidden') handlers.exit('hidden');
    else handlers.resume();
  };
  const pagehide = () => handlers.exit('pagehide');
  const freeze = () => handlers.exit('freeze');
  const resume = () => handlers.resume();
  const pairs: [LifecycleTarget, string, () => void][] = [
    [doc, 'visibilitychange', visibility],
    [win, 'pagehide', pagehide],
    [win, 'pageshow', resume], // back/forward cache restore
    [doc, 'freeze', freeze], // Page Lifecycle API (Chromium); absent elsewhere, harmless
    [doc, 'resume', resume],
  ];
  for (const [target, type, fn] of pairs) target.addEventListener(type, fn);
  return () => {
    for (const [target, type, fn] of pairs) target.removeEventListener(type, fn);
  };
}
