/** Connectivity as the sink sees it: `navigator.onLine` plus the `online`/`offline` events. */
export interface NetworkStatus {
  /** `false` only when the platform is sure there is no network. */
  isOnline(): boolean;
  addEventListener(type: 'online' | 'offline', listener: () => void): void;
  removeEventListener(type: 'online' | 'offline', listener: () => void): void;
}

type GlobalScope = {
  navigator?: { onLine?: boolean };
  addEventListener?: (type: string, listener: () => void) => void;
  removeEventListener?: (type: string, listener: () => void) => void;
};

/**
 * The global scope's connectivity (window or worker `self`), or `undefined` where there is no
 * event target (Node).
 */
export function defaultNetworkStatus(): NetworkStatus | undefined {
  const g = globalThis as GlobalScope;
  if (typeof g.addEventListener !== 'function' || typeof g.removeEventListener !== 'function') {
    return undefined;
  }
  return {
    // `onLine === true` proves little (a captive portal is "online"); `false` is reliable.
    isOnline: () => g.navigator?.onLine !== false,
    addEventListener: (type, fn) => g.addEventListener!(type, fn),
    removeEventListener: (type, fn) => g.removeEventListener!(type, fn),
  };
}

/**
 * Calls `onChange(online)` on each `online`/`offline` event.
 * @param status - where connectivity comes from
 * @param onChange - receives the new state
 * @returns a function that stops watching
 */
export function watchNetwork(
  status: NetworkStatus,
  onChange: (online: boolean) => void,
): () => void {
  const online = () => onChange(true);
  const offline = () => onChange(false);
  status.addEventListener('online', online);
  status.addEventListener('offline', offline);
  return () => {
    status.removeEventListener('online', online);
    status.removeEventListener('offline', offline);
  };
}
