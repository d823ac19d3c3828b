import type { LogEvent } from '../../core/event.js';
import type { DropReason } from '../asyncStats.js';
import { ASYNC_SINK_DEFAULTS } from '../asyncOptions.js';
import { backoffDelay } from '../backoff.js';
import type { BufferedEvent } from './chunk.js';
import type { Resolved } from './indexedDbOptions.js';
import type { Store } from './store.js';
import type { LogBatchOutcome, LogBatchTransport } from './transport.js';

export type { LogBatchOutcome, LogBatchTransport } from './transport.js';

/** The drainer role of a page: see {@link createDrainer}. */
export type Drainer = ReturnType<typeof createDrainer>;

const RETRY: LogBatchOutcome = { ok: false, retry: true };

/**
 * The drain lock as this page sees it: `none` drains without it (no Web Locks, or they failed),
 * `waiting` for it (or given up), `held`.
 */
type LockState = 'none' | 'waiting' | 'held';

/** The first events of `entries` that fit one upload of `maxBytes` (at least one). */
function uploadBatch(entries: BufferedEvent[], maxBytes: number): BufferedEvent[] {
  let count = 0;
  for (
    let bytes = 0;
    count < entries.length && (!count || bytes + entries[count]._bytes <= maxBytes);
  )
    bytes += entries[count++]._bytes;
  return entries.slice(0, count);
}

/**
 * The drainer role of one page. Sends stored events oldest first and deletes them only after the
 * receiver acknowledged them. A retryable failure leaves them stored and waits (capped exponential
 * backoff with equal jitter, at least `Retry-After`; an `online` event ends the wait); a permanent
 * rejection deletes them, counted `rejected`; events older than `maxAgeMs` are deleted unsent,
 * counted `expired`. Only the holder of the database's Web Lock drains it; writers in other tabs
 * wake it over a BroadcastChannel, and it polls every `drainPollMs`. The memory tier is this page's
 * own: it drains without the lock (and gives the lock up). Every upload outcome is recorded in a
 * `localStorage` flag shared by the tabs: the exit path beacons only while the latest upload
 * succeeded, because a beacon cannot report the server's answer. Never throws.
 */
export function createDrainer(
  options: Resolved,
  store: Store,
  transport: LogBatchTransport,
  report: (kind: string, message: string, error?: unknown) => void,
  count: (reason: DropReason, n: number) => void,
  onDrained: (n: number) => void,
) {
  const { database, locks, storage, broadcastChannel: Channel } = options;
  const { drainBatchEvents, drainBatchBytes, drainPollMs } = options;
  const { _setTimer: setTimer, _clearTimer: clearTimer, now, random } = options;
  const {
    retryBaseMs = ASYNC_SINK_DEFAULTS.retryBaseMs,
    retryMaxMs = ASYNC_SINK_DEFAULTS.retryMaxMs,
  } = options as { retryBaseMs?: number; retryMaxMs?: number };
  const healthKey = `mvx-logger:health:${encodeURIComponent(database)}`;
  let stopped = false;
  let kicked = false;
  let inBackoff = false; // waiting for a retry (a kick does not end it), not for work
  let wake = () => {};
  let attempt = 0;
  let uploadingIds: Set<string> | undefined; // ids of the events being uploaded
  let healthy: boolean | undefined;
  let lockState: LockState = locks ? 'waiting' : 'none';
  let lockRequest: AbortController | undefined; // while the lock is asked for or held
  let releaseLock = () => {};
  let channel: BroadcastChannel | undefined;

  const kick = () => {
    kicked = true;
    if (!inBackoff) wake();
  };
  const retryNow = () => {
    attempt = 0;
    kicked = true;
    wake();
  };
  const release = () => {
    if (locks) lockState = 'waiting';
    releaseLock();
    lockRequest?.abort(); // stops waiting if the lock was never granted
    lockRequest = undefined;
  };
  /** Asks for the database's drain lock; held until `release()` or the page's end. */
  const requestLock = () => {
    const request = (lockRequest = new AbortController());
    const granted = () => {
      if (stopped || store._tier() != 'indexeddb' || request.signal.aborted) {
        if (lockRequest == request) lockRequest = undefined;
        return;
      }
      lockState = 'held';
      kick();
      return new Promise<void>((resolve) => (releaseLock = resolve));
    };
    new Promise((resolve) =>
      resolve(locks!.request(`mvx-logger:drain:${database}`, { signal: request.signal }, granted)),
    ).catch((error: unknown) => {
      if (stopped || request.signal.aborted || store._tier() != 'indexeddb') return; // released
      report('drain-lock-failed', 'lock failed; draining without it', error);
      lockState = 'none';
      kick();
    });
  };
  const mayDrain = () => {
    if (store._tier() == 'indexeddb') {
      // (again after IndexedDB came back from a fallback to memory)
      if (lockState == 'waiting' && !lockRequest && !stopped) requestLock();
      return lockState != 'waiting';
    }
    release(); // this page no longer drains the database: another tab may
    return true;
  };
  const sleep = (ms: number, isBackoff: boolean) =>
    new Promise<void>((resolve) => {
      inBackoff = isBackoff;
      const timer = setTimer(
        (wake = () => {
          clearTimer(timer);
          wake = () => {};
          resolve();
        }),
        ms,
      );
      if (stopped || (!isBackoff && kicked)) wake();
    });

  const send = async (batch: LogEvent[]): Promise<LogBatchOutcome> => {
    try {
      const outcome = await transport.send(batch);
      if (outcome && typeof outcome == 'object') return outcome;
      report('drain-bad-outcome', 'send() gave no outcome; retrying');
    } catch (error) {
      report('drain-transport-threw', 'send() threw; retrying', error);
    }
    return RETRY;
  };

  /** Records whether the receiver answers, for every tab's exit path; written on change only. */
  const recordHealth = (answered: boolean) => {
    if (answered === healthy) return; // one write per outage, not per retry
    healthy = answered;
    try {
      storage?.setItem(healthKey, answered ? '1' : '0');
    } catch {
      // storage full or disabled: exits spill, the safe side
    }
  };

  const loop = async () => {
    while (!stopped) {
      kicked = false; // cleared before every wait: a kick while not draining cannot spin the loop
      // This page's memory events first (they exist nowhere else; no lock needed while IndexedDB
      // is back in use after a fallback), then the current tier.
      const tier = store._memoryEvents() ? 'memory' : store._tier();
      const mayRead = (tier == 'memory' && store._tier() == 'indexeddb') || mayDrain();
      const stored = mayRead
        ? (await store._read(tier, 0, drainBatchEvents)).slice(0, drainBatchEvents)
        : [];
      if (!stored.length) {
        if (!kicked) await sleep(drainPollMs, false);
        continue;
      }
      const expiredBefore = now() - options.maxAgeMs;
      const expired = stored.filter((entry) => entry._event.time < expiredBefore);
      if (expired.length) {
        if (await store._delete(tier, expired)) count('expired', expired.length);
        continue;
      }
      const batch = uploadBatch(stored, drainBatchBytes);
      // Memory events being uploaded: the exit path must not beacon them a second time.
      uploadingIds = new Set(batch.map((entry) => entry._event.id));
      const outcome = await send(batch.map((entry) => entry._event));
      uploadingIds = undefined;
      const answered = outcome.ok || !outcome.retry;
      recordHealth(answered);
      if (answered) {
        attempt = 0;
        const deleted = await store._delete(tier, batch);
        if (outcome.ok) onDrained(batch.length);
        else if (deleted) count(outcome.status ? 'rejected' : 'failed', batch.length);
        continue;
      }
      // Equal jitter: at least half the cap, so a down server is not polled in a tight loop.
      const delay = backoffDelay(++attempt, retryBaseMs, retryMaxMs, () => (1 + random()) / 2);
      await sleep(Math.max(delay, outcome.retryAfterMs ?? 0), true);
    }
  };
  const globalScope = globalThis as unknown as Partial<Window>;
  globalScope.addEventListener?.('online', retryNow);
  if (store._tier() == 'indexeddb') {
    try {
      if (Channel) (channel = new Channel(`mvx-logger:stored:${database}`)).onmessage = kick;
    } catch {
      // unavailable here: the drainer polls
    }
    if (!locks) report('indexeddb-no-locks', 'no Web Locks: every tab drains');
    else requestLock();
  }

  const done = loop().catch((error: unknown) =>
    report('drain-stopped', 'drain loop failed', error),
  );

  return {
    /** Whether this page drains now (it holds the lock, needs none, or drains its memory tier). */
    _mayDrain: mayDrain,
    /** Ids of the memory events being uploaded now. */
    _uploadingIds: () => uploadingIds,
    /** The transport for the exit path, only while the latest upload (any tab) succeeded. */
    _exitTransport() {
      try {
        return storage?.getItem(healthKey) == '1' ? transport : undefined;
      } catch {
        return undefined;
      }
    },
    /** Events were stored by this page: wake the loop here and the drainer in other tabs. */
    _stored() {
      kick();
      try {
        channel?.postMessage(1);
      } catch {
        // closed: the drainer's poll finds the events
      }
    },
    /** Resolves when the loop has ended (after an upload in flight settled). */
    _done: done,
    /**
     * Gives the role up (the lock passes to another tab). Resolves when the loop stopped, or at once
     * while an upload is in flight: a hung request must not hang `close()`.
     */
    _stop() {
      stopped = true;
      release();
      globalScope.removeEventListener?.('online', retryNow);
      channel?.close();
      wake();
      return uploadingIds ? undefined : done;
    },
  };
}
