/**
 * This sink's share of the browser's keepalive budget (64 KiB per page, shared by every
 * `sendBeacon` and keepalive `fetch`). Keepalive fetches hold their bytes until they settle (their
 * response body read to the end); a beacon's completion cannot be observed, so its bytes are held
 * for {@link BEACON_HOLD_MS}. Other scripts' requests are invisible: the limit keeps a margin.
 */
export interface KeepaliveBudget {
  /** Bytes this sink may still put in flight. */
  _free(): number;
  /** A keepalive fetch of `bytes` starts. */
  _holdFetch(bytes: number): void;
  /** A keepalive fetch of `bytes` settled. */
  _releaseFetch(bytes: number): void;
  /** The browser queued a beacon of `bytes`. */
  _holdBeacon(bytes: number): void;
}

// A beacon's completion cannot be observed, so its bytes are assumed in flight this long; most
// complete far sooner. An underestimate only makes `sendBeacon` return false, which is handled.
const BEACON_HOLD_MS = 1000;

/** A beacon's bytes, counted until `_until` (epoch ms). */
interface HeldBeacon {
  readonly _until: number;
  readonly _bytes: number;
}

/**
 * @param limitBytes - keepalive bytes this sink may have in flight
 * @param now - clock in ms
 */
export function createKeepaliveBudget(limitBytes: number, now: () => number): KeepaliveBudget {
  let fetchBytes = 0;
  let beacons: HeldBeacon[] = [];
  return {
    _free() {
      const time = now();
      beacons = beacons.filter((beacon) => beacon._until > time);
      return beacons.reduce((free, beacon) => free - beacon._bytes, limitBytes - fetchBytes);
    },
    _holdFetch: (bytes) => void (fetchBytes += bytes),
    _releaseFetch: (bytes) => void (fetchBytes -= bytes),
    _holdBeacon: (bytes) => void beacons.push({ _until: now() + BEACON_HOLD_MS, _bytes: bytes }),
  };
}
