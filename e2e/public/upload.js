// UploadSink e2e page (IIFE build). Query: sid, encoding (json|otlp), exitOnly (1: no normal
// dispatch before exit, to measure the pure exit budget), retryBaseMs, retryMaxMs, maxRetries,
// cross (1: post to the same server under its other name, i.e. cross-origin with CORS), gzip.
const { LogContext, UploadSink } = MvxLogger;
const params = new URL(location.href).searchParams;
const sid = params.get('sid') ?? 'default';
const encoding = params.get('encoding') ?? 'json';
const num = (name) => (params.has(name) ? Number(params.get(name)) : undefined);
const exitOnly = params.get('exitOnly') === '1';
// 127.0.0.1 and localhost are different origins: the collector is then cross-origin.
const otherHost = location.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
const base = params.get('cross') === '1' ? `http://${otherHost}:${location.port}` : '';

const diagnostics = [];
const sink = new UploadSink({
  url: `${base}${encoding === 'otlp' ? '/v1/logs' : '/collect'}?sid=${encodeURIComponent(sid)}`,
  encoding,
  gzip: params.get('gzip') === '1',
  resource: { 'service.name': 'e2e-upload' },
  retryBaseMs: num('retryBaseMs'),
  retryMaxMs: num('retryMaxMs'),
  maxRetries: num('maxRetries'),
  // exitOnly: nothing leaves before the page does, so only the exit budget decides.
  ...(exitOnly ? { maxBatchEvents: 1e6, maxBatchBytes: 1e8, flushIntervalMs: 6e5 } : {}),
  onDiagnostic: (d) => diagnostics.push(`${d.kind}: ${d.message}`),
});
const log = new LogContext({ namespace: 'e2e/upload', sinks: { upload: sink } });

// Reports the sink's stats where the test can read them after the page is gone: a tiny beacon to
// the collector under `<sid>-stats` (it fits the 4 KiB the sink leaves free) and, in case the
// beacon is late or refused, every report so far in localStorage (read by the test from another
// tab of the same origin). `seq` orders the reports.
let statsSeq = 0;
const reports = [];
function reportStats(when) {
  const stats = { when, seq: statsSeq, ...sink.stats(), diagnostics: [...diagnostics] };
  reports.push(stats);
  const body = JSON.stringify({ events: [{ id: `stats-${statsSeq++}`, stats }] });
  const url = `/collect?sid=${encodeURIComponent(sid)}-stats`;
  if (!navigator.sendBeacon(url, body)) {
    // Firefox refuses the beacon when its keepalive limit (which counts earlier pages' requests
    // too) is used up; a synchronous request still goes out while the page is being closed there.
    try {
      const xhr = new globalThis.XMLHttpRequest();
      xhr.open('POST', `${url}&via=xhr`, false);
      xhr.send(body);
    } catch {
      // Chromium refuses synchronous requests in pagehide; its beacon did not fail above.
    }
  }
  try {
    localStorage.setItem(`upload-stats-${sid}`, JSON.stringify(reports));
  } catch (error) {
    // Firefox may refuse storage in a closing page; the beacon above still reports.
    navigator.sendBeacon(`/collect?sid=${encodeURIComponent(sid)}-storage-error`, String(error));
  }
}
let reporting = false;
function reportOnExit() {
  // Registered after the sink's own listeners (the sink attaches them on its first log), so the
  // stats are taken after its exit hand-off.
  if (reporting) return;
  reporting = true;
  addEventListener('pagehide', () => reportStats('pagehide'));
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') reportStats('hidden');
  });
}

/** Logs `n` small events synchronously. */
window.burst = (n) => {
  for (let i = 0; i < n; i++) log.info('burst', { i });
  reportOnExit();
  return sink.stats();
};

/** Logs `total` events evenly over about `ms` milliseconds; resolves after the last one. */
window.steady = (total, ms) =>
  new Promise((resolve) => {
    const ticks = Math.max(1, Math.round(ms / 20));
    const per = Math.ceil(total / ticks);
    let sent = 0;
    const timer = setInterval(() => {
      for (let i = 0; i < per && sent < total; i++) log.info('steady', { i: sent++ });
      reportOnExit();
      if (sent >= total) {
        clearInterval(timer);
        resolve(sink.stats());
      }
    }, 20);
  });

/** Logs `n` events, then flushes; resolves with the stats and the time the flush took. */
window.logAndFlush = async (n) => {
  for (let i = 0; i < n; i++) log.info('flushed', { i });
  const t0 = performance.now();
  await sink.flush();
  return { ms: Math.round(performance.now() - t0), stats: sink.stats(), diagnostics };
};

window.ready = true;
