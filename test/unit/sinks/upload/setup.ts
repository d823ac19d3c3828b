import { expect, onTestFinished } from 'vitest';
import { otlpProblems } from '../../../collectorDouble/otlpConformance.mjs';
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

/**
 * At the end of the test, every OTLP body the sink sent (fetch and accepted beacons) must conform
 * strictly to the official proto (issue 12: no test may produce a body a strict receiver rejects).
 */
function checkEveryOtlpBody(
  calls: readonly FetchCall[],
  beacon: ReturnType<typeof createFakeBeacon>,
) {
  onTestFinished(async () => {
    const bodies = [...calls.map((call) => call.text), ...(await beacon.texts())];
    for (const body of bodies) expect(otlpProblems(body)).toEqual([]);
  });
}

/** An UploadSink wired to fakes: clock/timers, fetch, beacon, page, network. */
export function setupUpload(
  options: Partial<UploadSinkOptions> & {
    respond?: (call: FetchCall, index: number) => FakeAnswer | Promise<FakeAnswer>;
    beaconBudget?: number;
  } = {},
) {
  const { respond, beaconBudget, ...sinkOptions } = options;
  const timers = createFakeTimers();
  const fetch = createFakeFetch(respond);
  const beacon = createFakeBeacon({ budget: beaconBudget });
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
    ...sinkOptions,
  });
  if (options.encoding === 'otlp') checkEveryOtlpBody(fetch.calls, beacon);
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
