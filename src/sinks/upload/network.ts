/**
 * Connectivity as the sink sees it: `navigator.onLine` plus the `online`/`offline` events.
 * @group Sinks
 */
export interface NetworkStatus {
  /** `false` only when the platform is sure there is no network. */
  isOnline(): boolean;
  addEventListener(type: 'online' | 'offline', listener: () => void): void;
  removeEventListener(type: 'online' | 'offline', listener: () => void): void;
}

/**
 * The global scope's connectivity (window or worker `self`), or `undefined` where there is no
 * event target (Node).
 */
export function defaultNetworkStatus(): NetworkStatus | undefined {
  const g = globalThis as any;
  return g.addEventListener
    ? {
        // `onLine === true` proves little (a captive portal is "online"); `false` is reliable.
        isOnline: () => g.navigator?.onLine !== false,
        addEventListener: (type, fn) => g.addEventListener(type, fn),
        removeEventListener: (type, fn) => g.removeEventListener(type, fn),
      }
    : undefined;
}

/** What {@link watchNetwork} calls. */
export interface NetworkListener {
  pause(): void;
  resume(): void;
}

/**
 * Pauses the listener while offline and resumes it when back online (one listener for both
 * events: the state decides).
 * @param network - connectivity
 * @param isOffline - whether the platform is sure there is no network
 * @param listener - what to pause and resume
 * @returns a function that stops watching
 */
export function watchNetwork(
  network: NetworkStatus,
  isOffline: () => boolean,
  listener: NetworkListener,
): () => void {
  const update = () => (isOffline() ? listener.pause() : listener.resume());
  if (isOffline()) listener.pause();
  network.addEventListener('online', update);
  network.addEventListener('offline', update);
  return () => {
    network.removeEventListener('online', update);
    network.removeEventListener('offline', update);
  };
}
