/**
 * Whether the receiver accepted the latest upload of this database's drainer, shared by every tab
 * of the origin through `localStorage` (read synchronously on exit). A beacon cannot report the
 * server's answer, so the exit path only beacons while the receiver is known to be healthy;
 * otherwise it spills, and the next page drains with retries.
 */
export class DrainHealth {
  private readonly key: string;
  private last: boolean | undefined;

  /**
   * @param storage - `localStorage` or a fake; `null`: health is unknown, so exits always spill
   * @param database - the buffer's database name
   */
  constructor(
    private readonly storage: Storage | null,
    database: string,
  ) {
    this.key = `mvx-logger:health:${encodeURIComponent(database)}`;
  }

  /** Records an upload outcome (`ok`: the receiver answered; `false`: it failed or was unreachable). */
  record(ok: boolean): void {
    if (this.last === ok) return; // written on change only: one write per outage, not per retry
    this.last = ok;
    try {
      this.storage?.setItem(this.key, ok ? '1' : '0');
    } catch {
      // storage full or disabled: exits spill, which is the safe side
    }
  }

  /** Whether the latest known upload succeeded. Unknown (never drained here) counts as not. */
  healthy(): boolean {
    try {
      return this.storage?.getItem(this.key) === '1';
    } catch {
      return false;
    }
  }
}
