import type { LogEvent } from '../../core/event.js';
import type { DropReason } from '../asyncStats.js';
import { ASYNC_SINK_DEFAULTS } from '../asyncOptions.js';
import { backoffDelay } from '../backoff.js';
import type { Resolved } from './indexedDbOptions.js';
import type { Store } from './store.js';
import type { LogBatchOutcome, LogBatchTransport } from './transport.js';

export type { LogBatchOutcome, LogBatchTransport } from './transport.js';

/** The drainer role of a page: see {@link createDrainer}. */
export type Drainer = ReturnType<typeof createDrainer>;

const RETRY: LogBatchOutcome = { ok: false, retry: true };

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
  o: Resolved,
  store: Store,
  t: LogBatchTransport,
  report: (kind: string, message: string, error?: unknown) => void,
  count: (reason: DropReason, n: number) => void,
  drained: (n: number) => void,
) {
  const { database, locks, storage, broadcastChannel: Channel } = o;
  const { drainBatchEvents: per, drainBatchBytes: perBytes, drainPollMs: pollMs } = o;
  const { setT, clearT, now, random } = o;
  const {
    retryBaseMs = ASYNC_SINK_DEFAULTS.retryBaseMs,
    retryMaxMs = ASYNC_SINK_DEFAULTS.retryMaxMs,
  } = o as { retryBaseMs?: number; retryMaxMs?: number };
  const healthKey = `mvx-logger:health:${encodeURIComponent(database)}`;
  let stopped = false;
  let kicked = false;
  let backoff = false; // waiting for a retry (a kick does not end it), not for work
  let wake = () => {};
  let attempt = 0;
  let sending: Set<string> | undefined; // ids of the events being uploaded
  let health: boolean | undefined;
  let lock = 0; // 0: drains without the lock, 1: waiting for it (or released), 2: holds it
  let letGo = () => {};
  let channel: BroadcastChannel | undefined;
  const abort = new AbortController();

  const kick = () => {
    kicked = true;
    if (!backoff) wake();
  };
  const retryNow = () => {
    attempt = 0;
    kicked = true;
    wake();
  };
  const release = () => {
    lock = 1;
    letGo();
    abort.abort(); // stops waiting if the lock was never granted
  };
  const mayDrain = () => {
    if (store.idb()) return lock != 1;
    release(); // this page no longer drains the database: another tab may
    return true;
  };
  const sleep = (ms: number, retry: boolean) =>
    new Promise<void>((resolve) => {
      backoff = retry;
      const h = setT(
        (wake = () => {
          clearT(h);
          wake = () => {};
          resolve();
        }),
        ms,
      );
      if (stopped || (!retry && kicked)) wake();
    });

  const send = async (batch: LogEvent[]): Promise<LogBatchOutcome> => {
    try {
      const r = await t.send(batch);
      if (r && typeof r == 'object') return r;
      report('drain-bad-outcome', 'send() gave no outcome; retrying');
    } catch (error) {
      report('drain-transport-threw', 'send() threw; retrying', error);
    }
    return RETRY;
  };

  const loop = async () => {
    while (!stopped) {
      kicked = false; // cleared before every wait: a kick while not draining cannot spin the loop
      const src = store.idb();
      const x = mayDrain() ? (await store.read(src, 0, per)).slice(0, per) : [];
      if (!x.length) {
        if (!kicked) await sleep(pollMs, false);
        continue;
      }
      const cutoff = now() - o.maxAgeMs;
      const old = x.filter((y) => y.e.time < cutoff);
      if (old.length) {
        if (await store.del(src, old)) count('expired', old.length);
        continue;
      }
      let n = 0;
      for (let b = 0; n < x.length && (!n || b + x[n].b <= perBytes);) b += x[n++].b;
      const batch = x.slice(0, n);
      // Memory events being uploaded: the exit path must not beacon them a second time.
      sending = new Set(batch.map((y) => y.e.id));
      const r = await send(batch.map((y) => y.e));
      sending = undefined;
      const answered = r.ok || !r.retry;
      if (answered !== health) {
        health = answered; // written on change: one write per outage, not per retry
        try {
          storage?.setItem(healthKey, answered ? '1' : '0');
        } catch {
          // storage full or disabled: exits spill, the safe side
        }
      }
      if (answered) {
        attempt = 0;
        const removed = await store.del(src, batch);
        if (r.ok) drained(n);
        else if (removed) count(r.status ? 'rejected' : 'failed', n);
        continue;
      }
      // Equal jitter: at least half the cap, so a down server is not polled in a tight loop.
      const delay = backoffDelay(++attempt, retryBaseMs, retryMaxMs, () => (1 + random()) / 2);
      await sleep(Math.max(delay, r.retryAfterMs ?? 0), true);
    }
  };
  const g = globalThis as unknown as Partial<Window>;
  g.addEventListener?.('online', retryNow);
  if (store.idb()) {
    try {
      if (Channel) (channel = new Channel(`mvx-logger:stored:${database}`)).onmessage = kick;
    } catch {
      // unavailable here: the drainer polls
    }
    if (!locks) report('indexeddb-no-locks', 'no Web Locks: every tab drains');
    else {
      lock = 1;
      new Promise((resolve) =>
        resolve(
          locks.request(`mvx-logger:drain:${database}`, { signal: abort.signal }, () => {
            if (stopped || !store.idb()) return; // released meanwhile
            lock = 2;
            kick();
            return new Promise<void>((r) => (letGo = r)); // held until release() or page end
          }),
        ),
      ).catch((error: unknown) => {
        if (stopped || !store.idb()) return; // released
        report('drain-lock-failed', 'lock failed; draining without it', error);
        lock = 0;
        kick();
      });
    }
  }

  const done = loop().catch((e: unknown) => report('drain-stopped', 'drain loop failed', e));

  return {
    mayDrain,
    /** Ids of the memory events being uploaded now. */
    sending: () => sending,
    /** The transport for the exit path, only while the latest upload (any tab) succeeded. */
    beacon() {
      try {
        return storage?.getItem(healthKey) == '1' ? t : undefined;
      } catch {
        return undefined;
      }
    },
    /** Events were stored by this page: wake the loop here and the drainer in other tabs. */
    stored() {
      kick();
      try {
        channel?.postMessage(1);
      } catch {
        // closed: the drainer's poll finds the events
      }
    },
    /** Resolves when the loop has ended (after an upload in flight settled). */
    done,
    /**
     * Gives the role up (the lock passes to another tab). Resolves when the loop stopped, or at once
     * while an upload is in flight: a hung request must not hang `close()`.
     */
    stop() {
      stopped = true;
      release();
      g.removeEventListener?.('online', retryNow);
      channel?.close();
      wake();
      return sending ? undefined : done;
    },
  };
}
