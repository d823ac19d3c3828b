// A dedicated worker: no window, no document. The IIFE defines the global MvxLogger here too.
importScripts('/dist/mvx-logger.iife.min.js');

const params = new URL(location.href).searchParams;
const sid = params.get('sid');
const count = Number(params.get('count'));
const { LogContext, UploadSink, IndexedDbSink, captureErrors, captureConsole } = MvxLogger;

const upload = new UploadSink({ url: `/collect?sid=${sid}-upload`, encoding: 'json' });
const buffer = new IndexedDbSink({
  database: `worker-${sid}`,
  drainTo: new UploadSink({ url: `/v1/logs?sid=${sid}-buffer`, encoding: 'otlp' }),
});
// Every SDK diagnostic (a fallback, a dropped batch, ...) is reported back: the test expects none.
const diagnostics = [];
const log = new LogContext({
  namespace: 'worker',
  sinks: { upload, buffer },
  onDiagnostic: (d) => diagnostics.push(`${d.kind}: ${d.message}`),
});
captureErrors(log.child('errors'));
captureConsole(log.child('console'), ['warn']);

for (let i = 0; i < count; i++) log.child('job').info(`worker event ${i}`, { i });
console.warn('worker console warning');
setTimeout(() => {
  throw new Error('worker uncaught error');
});

// Report once everything was delivered (the buffer's drain runs on its own schedule).
const settled = () =>
  upload.stats().delivered === count + 2 && buffer.stats().drained === count + 2;
const started = Date.now();
const report = async () => {
  await log.flush();
  if (!settled() && Date.now() - started < 20_000) {
    setTimeout(report, 100);
    return;
  }
  postMessage({
    hasWindow: typeof window !== 'undefined',
    hasDocument: typeof document !== 'undefined',
    upload: upload.stats(),
    buffer: buffer.stats(),
    diagnostics,
  });
};
setTimeout(report, 50);
