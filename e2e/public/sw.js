// A service worker: no window, no document, and it may be stopped when idle, so the work of a
// message is kept alive with waitUntil until the uploads are flushed.
importScripts('/dist/mvx-logger.iife.min.js');

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(clients.claim()));

self.addEventListener('message', (event) => {
  const { sid, count } = event.data;
  const { LogContext, UploadSink, IndexedDbSink } = MvxLogger;
  const upload = new UploadSink({ url: `/collect?sid=${sid}-upload`, encoding: 'json' });
  const otlp = new UploadSink({ url: `/v1/logs?sid=${sid}-otlp`, encoding: 'otlp' });
  const buffer = new IndexedDbSink({ database: `sw-${sid}` }); // standalone: keeps recent events
  const diagnostics = []; // reported back: the test expects none
  const log = new LogContext({
    namespace: 'sw',
    sinks: { upload, otlp, buffer },
    onDiagnostic: (d) => diagnostics.push(`${d.kind}: ${d.message}`),
  });
  for (let i = 0; i < count; i++) log.info(`sw event ${i}`, { i });
  event.waitUntil(
    log.flush().then(() =>
      event.ports[0].postMessage({
        hasWindow: typeof window !== 'undefined',
        hasDocument: typeof document !== 'undefined',
        upload: upload.stats(),
        otlp: otlp.stats(),
        buffer: buffer.stats(),
        diagnostics,
      }),
    ),
  );
});
