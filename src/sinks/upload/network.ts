/** Connectivity as the sink sees it: `navigator.onLine` plus the `online`/`offline` events. */
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
