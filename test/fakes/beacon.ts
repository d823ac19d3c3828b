import type { BeaconLike } from '../../src/index.js';

/** One recorded beacon. */
export interface BeaconCall {
  url: string;
  type: string;
  bytes: number;
  accepted: boolean;
  data: Blob | string;
}

/**
 * A `sendBeacon` that models the browser's shared keepalive budget: it refuses (returns false)
 * when the body would push the bytes in flight over `budget`, until `complete()` frees them.
 * @param options - `budget` in bytes (default 64 KiB); `refuse` forces false for chosen calls
 */
export function createFakeBeacon(
  options: { budget?: number; refuse?: (call: BeaconCall, index: number) => boolean } = {},
) {
  const budget = options.budget ?? 64 * 1024;
  const calls: BeaconCall[] = [];
  let inFlight = 0;
  const sendBeacon: BeaconLike = (url, data) => {
    const bytes = typeof data === 'string' ? Buffer.byteLength(data) : data.size;
    const type = typeof data === 'string' ? 'text/plain;charset=UTF-8' : data.type;
    const call: BeaconCall = { url, type, bytes, accepted: false, data };
    call.accepted = inFlight + bytes <= budget && !options.refuse?.(call, calls.length);
    if (call.accepted) inFlight += bytes;
    calls.push(call);
    return call.accepted;
  };
  return {
    sendBeacon,
    calls,
    /** Bytes currently in flight. */
    inFlight: () => inFlight,
    /** The accepted beacons arrived: frees the budget. */
    complete: () => {
      inFlight = 0;
    },
    /** Bodies of the accepted beacons as text. */
    texts: () =>
      Promise.all(
        calls
          .filter((c) => c.accepted)
          .map((c) => (typeof c.data === 'string' ? c.data : c.data.text())),
      ),
  };
}
