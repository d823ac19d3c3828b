import {
  UploadSink,
  type LogEvent,
  type NetworkStatus,
  type UploadSinkOptions,
} from '../../../../src/index.js';
import { createFakeBeacon } from '../../../fakes/beacon.js';
import { createFakeFetch, type FakeAnswer, type FetchCall } from '../../../fakes/fetch.js';
import { createFakeTimers } from '../../../fakes/timers.js';
import { collectDiagnostics, createFakePage, makeEvent } from '../helpers.js';

/** A connectivity fake: starts online; `set(false)` fires `offline`. */
export function createFakeNetwork(online = true) {
  const target = new EventTarget();
  let state = online;
  const status: NetworkStatus = {
    isOnline: () => state,
    addEventListener: (t, fn) => target.addEventListener(t, fn),
    removeEventListener: (t, fn) => target.removeEventListener(t, fn),
  };
  return {
    status,
    set(value: boolean) {
      state = value;
      target.dispatchEvent(new Event(value ? 'online' : 'offline'));
    },
  };
}

/** An UploadSink wired to fakes: clock/timers, fetch, beacon, page, network. */
export function setupUpload(
  options: Partial<UploadSinkOptions> & {
    respond?: (call: FetchCall, index: number) => FakeAnswer | Promise<FakeAnswer>;
    beaconBudget?: number;
  } = {},
) {
  const timers = createFakeTimers();
  const fetch = createFakeFetch(options.respond);
  const beacon = createFakeBeacon({ budget: options.beaconBudget });
  const page = createFakePage();
  const network = createFakeNetwork();
  const diag = collectDiagnostics();
  const sink = new UploadSink({
    url: 'https://logs.example.com/collect?sid=t',
    now: timers.now,
    setTimeout: timers.setTimeout,
    clearTimeout: timers.clearTimeout,
    random: () => 0.5,
    fetch: fetch.fetch,
    sendBeacon: beacon.sendBeacon,
    pageLifecycle: page.lifecycle,
    network: network.status,
    onDiagnostic: diag.onDiagnostic,
    ...options,
  });
  const events: LogEvent[] = [];
  const log = (n: number, extra: Partial<LogEvent> = {}) => {
    for (let i = 0; i < n; i++) {
      const e = makeEvent(events.length, extra);
      events.push(e);
      sink.log(e);
    }
  };
  /** Flushes while driving the fake clock. */
  const flushAll = async () => {
    let done = false;
    const p = sink.flush().then(() => (done = true));
    for (let i = 0; i < 1000 && !done; i++) await timers.advance(1000);
    await p;
  };
  return { sink, timers, fetch, beacon, page, network, diag, log, events, flushAll };
}
