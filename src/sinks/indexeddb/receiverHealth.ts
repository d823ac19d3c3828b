/**
 * Whether the receiver answers, as a `localStorage` flag shared by the tabs of one database: the
 * exit path hands events to a beacon only while the latest upload of any tab was answered, because
 * a beacon cannot report the server's answer; the drainer records a keepalive upload as handed off
 * when it starts unless the latest upload failed.
 * Every access is guarded: without storage the state is unknown, and exits spill (the safe side).
 */
export function createReceiverHealth(storage: Storage | null, database: string) {
  const key = `mvx-logger:health:${encodeURIComponent(database)}`;
  let last: boolean | undefined;
  return {
    /** Records an upload's outcome; written on change only (one write per outage, not per retry). */
    _record(answered: boolean) {
      if (answered === last) return;
      last = answered;
      try {
        storage?.setItem(key, answered ? '1' : '0');
      } catch {
        // storage full or disabled: exits spill, the safe side
      }
    },
    /** Whether the latest upload of any tab failed (false while unknown: none recorded yet). */
    _down(): boolean {
      try {
        return storage?.getItem(key) == '0';
      } catch {
        return false;
      }
    },
    /** Whether the latest upload of any tab was answered. */
    _healthy(): boolean {
      try {
        return storage?.getItem(key) == '1';
      } catch {
        return false;
      }
    },
  };
}
