import type { LogEvent } from '../../core/event.js';
import type { DropReason } from '../asyncStats.js';
import { ASYNC_SINK_DEFAULTS } from '../asyncOptions.js';
import { backoffDelay } from '../backoff.js';
import type { AckRecord } from './ackRecord.js';
import { createDrainLock } from './drainLock.js';
import { createHandOff } from './handOff.js';
import { createReceiverHealth } from './receiverHealth.js';
import type { BufferedEvent } from './chunk.js';
import type { Resolved } from './indexedDbOptions.js';
import type { Store } from './store.js';
import type { LogBatchOutcome, LogBatchTransport } from './transport.js';

export type { LogBatchOutcome, LogBatchTransport } from './transport.js';

/** The drainer role of a page: see {@link createDrainer}. */
export type Drainer = ReturnType<typeof createDrainer>;

const RETRY: LogBatchOutcome = { ok: false, retry: true };
/** The browser's keepalive budget: a drain upload within it outlives the page. */
const KEEPALIVE_BYTES = 64 * 1024;

/** Counters of the drain, for `stats()`. */
export interface DrainCounters {
  /** Events uploaded and acknowledged. */
  _drained: number;
  /** Upload attempts that failed and are retried. */
  _failures: number;
  /** Times the receiver became unreachable (an upload failed without an HTTP answer). */
  _outages: number;
}

const statusText = (outcome: LogBatchOutcome) =>
  outcome.status ? ` (HTTP ${outcome.status})` : '';

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
  counters: DrainCounters,
  acks: AckRecord,
) {
  const { database, locks, storage, broadcastChannel: Channel } = options;
  const { drainBatchEvents, drainBatchBytes, drainPollMs } = options;
  const { _setTimer: setTimer, _clearTimer: clearTimer, now, random } = options;
  const {
    retryBaseMs = ASYNC_SINK_DEFAULTS.retryBaseMs,
    retryMaxMs = ASYNC_SINK_DEFAULTS.retryMaxMs,
  } = options as { retryBaseMs?: number; retryMaxMs?: number };
  const health = createReceiverHealth(storage, database);
  const handOff = createHandOff(acks, transport);
  let stopped = false;
  let kicked = false;
  let inBackoff = false; // waiting for a retry (a kick does not end it), not for work
  let wake = () => {};
  let attempt = 0;
  let uploadingIds: Set<string> | undefined; // ids of the events being uploaded
  let unreachable = false; // in an outage: uploads fail without an HTTP answer
  let tookOver = false; // took the other pages' acknowledgement records over since the lock came
  let held = false; // after pagehide, until pageshow: no new upload
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
  const lock = createDrainLock(
    locks,
    `mvx-logger:drain:${database}`,
    report,
    () => !stopped && store._tier() == 'indexeddb',
    kick,
  );
  const release = () => {
    if (!held) handOff._takeBack(); // a page that lives on
    tookOver = false;
    lock._release();
  };
  const mayDrain = () => {
    if (store._tier() == 'indexeddb') {
      // (again after IndexedDB came back from a fallback to memory)
      if (!stopped) lock._request();
      return lock._state() != 'waiting';
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

  const loop = async () => {
    while (!stopped) {
      kicked = false; // cleared before every wait: a kick while not draining cannot spin the loop
      // This page's memory events first (they exist nowhere else; no lock needed while IndexedDB
      // is back in use after a fallback), then the current tier.
      const tier = store._memoryEvents() ? 'memory' : store._tier();
      const mayRead = (tier == 'memory' && store._tier() == 'indexeddb') || mayDrain();
      if (mayRead && tier == 'indexeddb' && !tookOver) {
        tookOver = true;
        acks._takeOver();
      }
      const stored = mayRead
        ? (await store._read(tier, 0, drainBatchEvents)).slice(0, drainBatchEvents)
        : [];
      if (!stored.length) {
        if (!kicked) await sleep(drainPollMs, false);
        continue;
      }
      if (tier == 'indexeddb') {
        // Acknowledged already (a delete that did not commit, here or in a page that died): deleted
        // without being sent again.
        const acknowledged = stored.filter((entry) => acks._has(entry._event.id));
        if (acknowledged.length) {
          await store._delete(tier, acknowledged);
          continue;
        }
      }
      const expiredBefore = now() - options.maxAgeMs;
      const expired = stored.filter((entry) => entry._event.time < expiredBefore);
      if (expired.length) {
        if (await store._delete(tier, expired)) count('expired', expired.length);
        continue;
      }
      if (held) {
        // Measured in Chromium (three tabs closed together): a page went on draining for a moment
        // after its pagehide; an upload it started then reached the receiver, the page died
        // before the answer, and the next drainer sent the batch again.
        if (!kicked) await sleep(drainPollMs, false);
        continue;
      }
      const batch = uploadBatch(stored, drainBatchBytes);
      const batchIds = batch.map((entry) => entry._event.id);
      // Memory events being uploaded: the exit path must not beacon them a second time.
      uploadingIds = new Set(batchIds);
      // A stored batch in a keepalive request is handed off once its request started (see
      // createHandOff), unless the latest upload failed (the buffer keeps it). Measured in
      // Firefox (three tabs closing together): the close stopped the script in the sink's pagehide
      // listener, or in the drain task after the request started, before the upload was recorded;
      // the next drainer sent its batch again. The health flag is read first: nothing slow between
      // request and record; a stop there is covered at pagehide.
      const events = batch.map((entry) => entry._event);
      if (
        tier == 'indexeddb' &&
        batch.reduce((sum, entry) => sum + entry._bytes, 0) <= KEEPALIVE_BYTES &&
        !health._down()
      )
        handOff._starting(batchIds, events);
      const sending = send(events); // the request starts now
      handOff._sent();
      const outcome = await sending;
      const stillHandedOff = handOff._settled();
      uploadingIds = undefined;
      const answered = outcome.ok || !outcome.retry;
      health._record(answered);
      // Recorded before the delete starts: a page dying before it commits leaves the record.
      if (answered && tier == 'indexeddb') acks._add(batchIds);
      else if (stillHandedOff) acks._remove(batchIds); // the page lived on: retried as usual
      if (answered) {
        attempt = 0;
        const deleted = await store._delete(tier, batch);
        unreachable = false;
        if (outcome.ok) counters._drained += batch.length;
        else {
          const fate = outcome.status ? 'rejected' : 'failed';
          if (deleted) count(fate, batch.length);
          report(
            `drain-${fate}`,
            `${batch.length} events ${fate} by the receiver${statusText(outcome)}; deleted`,
            outcome.error,
          );
        }
        continue;
      }
      counters._failures++;
      if (outcome.status) {
        report(
          'drain-upload-failed',
          `upload failed${statusText(outcome)}; events stay stored and are retried`,
          outcome.error,
        );
      } else if (!unreachable) {
        unreachable = true; // one outage until the receiver answers again
        counters._outages++;
        report('drain-outage', 'receiver unreachable; events stay stored', outcome.error);
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
    else lock._request();
  }

  const done = loop().catch((error: unknown) =>
    report('drain-stopped', 'drain loop failed', error),
  );

  return {
    /** Whether this page drains now (it holds the lock, needs none, or drains its memory tier). */
    _mayDrain: mayDrain,
    /** Ids of the memory events being uploaded now. */
    _uploadingIds: () => uploadingIds,
    /** After `pagehide` (true) no new upload starts, until `pageshow` (false). */
    _hold(isHeld: boolean) {
      held = isHeld;
      if (held) handOff._pagehide();
      else kick();
    },
    /** The transport for the exit path, only while the latest upload (any tab) succeeded. */
    _exitTransport: () => (health._healthy() ? transport : undefined),
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
