import { defaultPageLifecycle, type PageLifecycle } from '../pageExit.js';

/**
 * Calls `enter` on `pagehide` when the page goes into the back/forward cache (`persisted`) and
 * `leave` on `pageshow` when it comes back from it; `shown` on every `pagehide` (false) and
 * `pageshow` (true). No listeners without a page (workers) or with `pageLifecycle: false`.
 * Returns a function that removes them.
 */
export function onBackForwardCache(
  lifecycle: PageLifecycle | false | undefined,
  enter: () => void,
  leave: () => void,
  shown: (isShown: boolean) => void,
): () => void {
  const target = lifecycle === false ? undefined : (lifecycle ?? defaultPageLifecycle())?.window;
  if (!target) return () => {};
  const hide = (event?: { persisted?: boolean }) => {
    shown(false);
    if (event?.persisted) enter();
  };
  const show = (event?: { persisted?: boolean }) => {
    shown(true);
    if (event?.persisted) leave();
  };
  try {
    target.addEventListener('pagehide', hide);
    target.addEventListener('pageshow', show);
  } catch {
    return () => {}; // a broken target: the transaction timeout still bounds a hang
  }
  return () => {
    target.removeEventListener('pagehide', hide);
    target.removeEventListener('pageshow', show);
  };
}
