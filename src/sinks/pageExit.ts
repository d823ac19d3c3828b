/** The slice of `EventTarget` the page-exit listeners need. */
export interface LifecycleTarget {
  addEventListener(type: string, listener: (event: { persisted?: boolean }) => void): void;
  removeEventListener(type: string, listener: (event: { persisted?: boolean }) => void): void;
}

/**
 * Where page lifecycle events come from: the page's `document` and `window` (or fakes).
 * @group Sinks
 */
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
  const { document, window } = globalThis as Partial<PageLifecycle>;
  return document?.addEventListener && window ? { document, window } : undefined;
}

/**
 * Listens for the exit signals that fire reliably: `visibilitychange` → hidden, `pagehide`, and
 * `freeze` where supported. Never `unload`/`beforeunload`: they break the back/forward cache and
 * do not fire on mobile when the app is swiped away.
 * @param lifecycle - the document/window pair to listen on
 * @param handlers - called on exit and on return
 * @returns a function that removes every listener
 */
export function onPageExit(
  { document: doc, window: win }: PageLifecycle,
  handlers: PageExitHandlers,
): () => void {
  // Listeners use no event fields (fakes may call them without an event).
  const exit = (kind: PageExitKind) => () => handlers.exit(kind);
  const resume = () => handlers.resume();
  const pairs: [LifecycleTarget, string, () => void][] = [
    [
      doc,
      'visibilitychange',
      () => (doc.visibilityState === 'hidden' ? exit('hidden')() : resume()),
    ],
    [win, 'pagehide', exit('pagehide')],
    [win, 'pageshow', resume], // back/forward cache restore
    [doc, 'freeze', exit('freeze')], // Page Lifecycle API (Chromium); absent elsewhere, harmless
    [doc, 'resume', resume],
  ];
  const each = (method: 'addEventListener' | 'removeEventListener') => () =>
    pairs.forEach(([target, type, fn]) => target[method](type, fn));
  each('addEventListener')();
  return each('removeEventListener');
}
