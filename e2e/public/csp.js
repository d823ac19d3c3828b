// The SDK under a strict CSP: console, uploads in both encodings (one gzipped), IndexedDB buffer.
/* global URLSearchParams */
const { LogContext, ConsoleSink, UploadSink, IndexedDbSink, captureErrors } = MvxLogger;
const sid = new URLSearchParams(location.search).get('sid');
const EVENTS = 50;

const json = new UploadSink({ url: `/collect?sid=${sid}-json`, encoding: 'json' });
const otlp = new UploadSink({ url: `/v1/logs?sid=${sid}-otlp`, encoding: 'otlp', gzip: true });
const buffer = new IndexedDbSink({
  database: `csp-${sid}`,
  drainTo: new UploadSink({ url: `/collect?sid=${sid}-buffer` }),
});
// Every SDK diagnostic (e.g. a refused connection or eval) is kept: the test expects none.
window.diagnostics = [];
const log = new LogContext({
  namespace: 'csp',
  sinks: { console: new ConsoleSink(), json, otlp, buffer },
  onDiagnostic: (d) => window.diagnostics.push(`${d.kind}: ${d.message}`),
});
captureErrors(log.child('errors'));
for (let i = 0; i < EVENTS; i++)
  log.child('page').info(`csp event ${i}`, { i, nested: { ok: true } });

window.done = log.flush().then(() => {
  document.getElementById('out').textContent = 'flushed';
  return true;
});

// A deliberate violation, so the test can prove its detection works: an inline script.
window.violate = () => {
  const script = document.createElement('script');
  try {
    script.textContent = 'window.inlineRan = true'; // a Trusted Types sink under ?csp=tt
    document.head.append(script); // blocked by script-src 'self' under ?csp=strict
  } catch (error) {
    return String(error);
  }
  return 'appended';
};

// A deliberate eval, so the test can prove an eval by the SDK would not go unseen.
window.violateEval = () => {
  try {
    return String(new Function('return "eval ran"')()); // blocked: no 'unsafe-eval'
  } catch (error) {
    return String(error);
  }
};
