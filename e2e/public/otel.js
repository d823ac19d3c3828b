/* global URLSearchParams */
// An app page that sends OTLP to a Collector on another origin, as docs/opentelemetry-collector.md
// shows it. Query: collector (the /v1/logs URL, with the test's sid), buffer=1 (IndexedDbSink in
// front, draining to the upload sink), gzip=1, trace=1 (a traceparent as traceContext), n + run
// (log n events on load), db (database name), exitOnly=1 (no upload before the page exits), exitProbe=1 (at pagehide, also send one record by
// beacon and one by keepalive fetch, both application/json, labelled ?via=, to see which arrive).
const { LogContext, IndexedDbSink, UploadSink, encodeOtlpLogs, traceContextFromTraceparent } =
  MvxLogger;
const params = new URLSearchParams(location.search);

// Every request the page makes to the collector, by transport, for the test's report: what the
// sink used on exit (beacon Blob or keepalive fetch, and its content type) in this engine.
const transports = [];
let phase = 'visible';
document.addEventListener('visibilitychange', () => (phase = document.visibilityState));
addEventListener('pagehide', () => (phase = 'pagehide'));
const countKeys = (body) =>
  typeof body === 'string' ? body.split('"log.record.uid"').length - 1 : -1;
// nativeBeacon=1 leaves sendBeacon unwrapped: a closing Firefox tab stops the script at the first
// call or return after a beacon. The sink marks its hand-off before that, but a wrapper returns
// first, and the next exit then sends the chunk again (docs/sinks-and-delivery.md).
if (!params.get('nativeBeacon')) {
  const originalBeacon = navigator.sendBeacon.bind(navigator);
  navigator.sendBeacon = (url, data) => {
    const queued = originalBeacon(url, data);
    transports.push({ via: 'beacon', type: data?.type ?? typeof data, phase, queued });
    return queued;
  };
}
const originalFetch = window.fetch.bind(window);
window.fetch = (url, init = {}) => {
  const headers = init.headers ?? {};
  const type = headers['Content-Type'] ?? headers['content-type'] ?? '';
  const events = countKeys(init.body);
  transports.push({ via: init.keepalive ? 'keepalive-fetch' : 'fetch', type, phase, events });
  return originalFetch(url, init);
};
window.transports = transports;
const collector = params.get('collector');
const diagnostics = [];
const onDiagnostic = (d) => diagnostics.push(`${d.kind}@${phase}: ${d.message} (${d.error})`);
const upload = new UploadSink({
  url: collector,
  encoding: 'otlp',
  gzip: params.get('gzip') === '1',
  resource: { 'service.name': 'e2e-otel' },
  onDiagnostic,
  // exitOnly: nothing leaves before the page does, so the exit path carries every event.
  ...(params.get('exitOnly')
    ? { maxBatchEvents: 1e6, maxBatchBytes: 1e8, flushIntervalMs: 6e5 }
    : {}),
});
const sink = params.get('buffer')
  ? new IndexedDbSink({ database: params.get('db') ?? 'e2e-otel', drainTo: upload, onDiagnostic })
  : upload;
window.TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const log = new LogContext({
  namespace: 'e2e/otel',
  sinks: { main: sink },
  ...(params.get('trace') ? { traceContext: traceContextFromTraceparent(window.TRACEPARENT) } : {}),
});

// What this page's sink saw at its exit, for the next page of the test. Registered after the
// sink's own listeners (an upload sink attaches them on its first log), so it runs after the
// sink's exit hand-off.
const exitKey = `e2e-otel-exit:${collector}`;
window.previousExit = JSON.parse(localStorage.getItem(exitKey) ?? 'null');
localStorage.removeItem(exitKey);
let exitRecorded = false;
const recordExitAfterSink = () => {
  if (exitRecorded) return;
  exitRecorded = true;
  addEventListener('pagehide', () =>
    localStorage.setItem(exitKey, JSON.stringify({ ...sink.stats(), diagnostics, transports })),
  );
};
if (sink !== upload) recordExitAfterSink(); // IndexedDbSink attaches its listeners at once

if (params.get('exitProbe')) {
  const probe = (via) => {
    const time = Date.now();
    const event = { id: `probe-${via}-${time}`, namespace: 'e2e/probe', level: 'info' };
    const body = encodeOtlpLogs([
      { ...event, severity: 9, message: via, time, payload: { k: `probe:${via}` } },
    ]);
    return { url: `${collector}&via=${via}`, body };
  };
  addEventListener('pagehide', () => {
    const beacon = probe('beacon');
    try {
      window.beaconQueued = navigator.sendBeacon(
        beacon.url,
        new Blob([beacon.body], { type: 'application/json' }),
      );
    } catch (error) {
      window.beaconQueued = String(error);
    }
    const keepalive = probe('keepalive');
    fetch(keepalive.url, {
      method: 'POST',
      body: keepalive.body,
      keepalive: true,
      headers: { 'Content-Type': 'application/json' },
    }).catch(() => undefined);
  });
}

/** Logs events `run:from` … `run:to-1`; each carries its key `k`. */
window.logRange = (from, to, run) => {
  for (let i = from; i < to; i++) log.info('e2e event', { k: `${run}:${i}` });
  recordExitAfterSink();
};
window.flushAll = () => log.flush().then(() => sink.stats());
window.sinkStats = () => sink.stats();
window.diagnostics = diagnostics;

const n = Number(params.get('n') ?? 0);
if (n) window.logRange(0, n, params.get('run') ?? 'r');
window.logged = true;
