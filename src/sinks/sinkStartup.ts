import type { ResolvedAsyncOptions } from './asyncOptions.js';
import type { DeliveryHooks, DeliveryLoop } from './deliveryHooks.js';
import {
  defaultPageLifecycle,
  onPageExit,
  type PageExitHandlers,
  type PageLifecycle,
} from './pageExit.js';

/** What {@link startSink} set up. */
export interface SinkStartup {
  /** Removes the exit listeners (when any were attached). */
  readonly _detach: (() => void) | undefined;
  /**
   * Whether the page the exit listeners are attached to is hidden. A hidden page may be closed at
   * any moment, and its timers are throttled: in Firefox a background tab ran no `setTimeout(0)`
   * in the 80–600 ms before the driver closed it (e2e/indexeddbExact.spec.ts, three tabs).
   */
  readonly _hidden: () => boolean;
  /** `onStarting` returned a promise: dispatching waits for `onReady`. */
  readonly _waiting: boolean;
}

/**
 * Attaches the page-exit listeners (when the sink has an exit path and there is a page) and runs
 * the sink's `onStarting`. Neither failure keeps the sink from delivering: each is reported.
 * @param pageLifecycle - the option (`undefined`: the global page, if any; `false`: none)
 * @param sink - the hooks
 * @param exitHandlers - what the exit listeners call
 * @param report - the diagnostics channel
 * @param onReady - called once a promise returned by `onStarting` settled
 */
export function startSink(
  pageLifecycle: ResolvedAsyncOptions['pageLifecycle'],
  sink: DeliveryHooks,
  exitHandlers: PageExitHandlers,
  report: DeliveryLoop['_report'],
  onReady: () => void,
): SinkStartup {
  let detach: (() => void) | undefined;
  let attachedTo: PageLifecycle | undefined;
  let waiting = false;
  try {
    const lifecycle = pageLifecycle ?? defaultPageLifecycle();
    if (lifecycle && sink.dispatchOnExit) {
      detach = onPageExit(lifecycle, exitHandlers);
      attachedTo = lifecycle;
    }
  } catch (error) {
    report('lifecycle-failed', 'no exit listeners', error); // the sink still starts and delivers
  }
  const startFailed = (error: unknown) => report('start-failed', 'onStarting failed', error);
  try {
    const startup = sink.onStarting?.();
    if (startup) {
      waiting = true;
      void Promise.resolve(startup).catch(startFailed).then(onReady);
    }
  } catch (error) {
    startFailed(error);
  }
  const hidden = () => attachedTo?.document.visibilityState === 'hidden';
  return { _detach: detach, _hidden: hidden, _waiting: waiting };
}
