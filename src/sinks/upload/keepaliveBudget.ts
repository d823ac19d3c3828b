/** The browser's in-flight budget shared by every `sendBeacon` and keepalive `fetch` of a page. */
export const KEEPALIVE_BUDGET_BYTES = 64 * 1024;

// A beacon's completion cannot be observed, so its bytes are assumed in flight this long; most
// complete far sooner. An underestimate only makes `sendBeacon` return false, which is handled.
const BEACON_HOLD_MS = 1000;

/**
 * Tracks this sink's share of the keepalive budget: keepalive fetches until they settle, beacons
 * for a fixed hold time. Other scripts' beacons are invisible; the configured limit keeps a margin.
 */
export class KeepaliveBudget {
  private fetchBytes = 0;
  private beacons: { until: number; bytes: number }[] = [];

  /**
   * @param limit - bytes this sink may have in flight
   * @param now - clock in ms
   */
  constructor(
    private readonly limit: number,
    private readonly now: () => number,
  ) {}

  /** Bytes still available. */
  remaining(): number {
    const t = this.now();
    this.beacons = this.beacons.filter((b) => b.until > t);
    let used = this.fetchBytes;
    for (const b of this.beacons) used += b.bytes;
    return this.limit - used;
  }

  /** Books a beacon that the browser accepted. */
  holdBeacon(bytes: number): void {
    this.beacons.push({ until: this.now() + BEACON_HOLD_MS, bytes });
  }

  /** Books a keepalive fetch; call the returned function when it settles. */
  holdFetch(bytes: number): () => void {
    this.fetchBytes += bytes;
    let held = true;
    return () => {
      if (held) this.fetchBytes -= bytes;
      held = false;
    };
  }
}
