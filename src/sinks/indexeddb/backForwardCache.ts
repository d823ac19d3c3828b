import { defaultPageLifecycle, type PageLifecycle } from '../pageExit.js';

/**
 * Calls `enter` on `pagehide` when the page goes into the back/forward cache (`persisted`) and
 * `leave` on `pageshow` when it comes back from it. No listeners without a page (workers) or with
 * `pageLifecycle: false`. Returns a function that removes them.
 */
export function onBackForwardCache(
  lifecycle: PageLifecycle | false | undefined,
  enter: () => void,
  leave: () => void,
): () => void {
  const target = lifecycle === false ? undefined : (lifecycle ?? defaultPageLifecycle())?.window;
  if (!target) return () => {};
  const hide = (event?: { persisted?: boolean }) => event?.persisted && enter();
  const show = (event?: { persisted?: boolean }) => event?.persisted && leave();
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
