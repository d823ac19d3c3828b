import type { AsyncLogSinkStats } from '../asyncStats.js';
import type { StorageTier } from './bufferStore.js';

/**
 * Counters of an `IndexedDbSink`: `delivered` = written to the buffer, `drained` = uploaded.
 * @group Sinks
 */
export interface IndexedDbSinkStats extends AsyncLogSinkStats {
  /**
   * Events in the buffer (all tabs), as of this page's last storage operation. Until the database
   * has been opened (just after construction) this reads 0: `await flush()` first.
   */
  storedEvents: number;
  /** Estimated bytes of `storedEvents`. */
  storedBytes: number;
  /** Events deleted to stay within `maxEvents`/`maxBytes` (same as `dropped.evicted`). */
  evicted: number;
  /** Events this page uploaded and deleted after the receiver acknowledged them. */
  drained: number;
  /**
   * Drain uploads of this page that failed and are retried (network errors, 408/429/5xx); reported
   * once as `drain-upload-failed` (with an HTTP answer) or `drain-outage`.
   */
  drainFailures: number;
  /**
   * Times the receiver became unreachable for this page's drain (an upload failed without an HTTP
   * answer after the previous one was answered); reported once as `drain-outage`.
   */
  drainOutages: number;
  /** Events this page spilled to `localStorage` on exit. */
  spilled: number;
  /** Spilled events (of any page) this page moved into the buffer; those already stored are skipped. */
  replayed: number;
  /** Where new events go. */
  tier: StorageTier;
  /** Whether this page is the one draining the database now. */
  drainer: boolean;
}
