/* global URLSearchParams */
// An app page with the durable buffer in front of upload, as the README shows it:
//   IndexedDbSink({ drainTo: new UploadSink({ url }) }).
// Query: sid (collector session), tab (label bound to every event), n + run (log n events on load).
const { LogContext, IndexedDbSink, UploadSink } = MvxLogger;
const params = new URLSearchParams(location.search);
const sid = params.get('sid') ?? 'default';
const tab = params.get('tab') ?? 't0';
const database = params.get('db') ?? `e2e-${sid}`;
const diagnostics = [];
const upload = new UploadSink({ url: `/collect?sid=${encodeURIComponent(sid)}`, encoding: 'json' });
// probe=1: every drain upload is recorded in localStorage (started before/after pagehide, answered).
const probeKey = `e2e-probe:${sid}`;
let hidden = false;
addEventListener('pagehide', () => (hidden = true));
const pageId = Math.random().toString(36).slice(2, 6);
const note = (entry) =>
  localStorage.setItem(
    probeKey,
    JSON.stringify([...JSON.parse(localStorage.getItem(probeKey) ?? '[]'), entry]),
  );
const probe = {
  send(batch) {
    const id = batch[0].id;
    note({ page: pageId, id, n: batch.length, afterHide: hidden });
    return upload
      .send(batch)
      .then((r) => (note({ page: pageId, id, ok: r.ok, afterHide: hidden }), r));
  },
  sendOnExit: (batch, failed) => upload.sendOnExit(batch, failed),
};
const buffer = new IndexedDbSink({
  database,
  drainTo: params.get('probe') ? probe : upload,
  onDiagnostic: (d) => diagnostics.push(d.kind),
});
const log = new LogContext({ namespace: 'e2e/idb', sinks: { buffer }, context: { tab } });

// What the previous page of this tab saw at its exit (written below), for the test's report.
const exitKey = `e2e-exit:${sid}:${tab}`;
window.previousExit = JSON.parse(localStorage.getItem(exitKey) ?? 'null');
localStorage.removeItem(exitKey);
// Registered after the sink's own listeners: runs after its exit hand-off.
addEventListener('pagehide', () =>
  localStorage.setItem(exitKey, JSON.stringify({ ...buffer.stats(), diagnostics })),
);

/** Logs events `run:from` … `run:to-1`; each carries its key `k` so the test can check every one. */
window.logRange = (from, to, run) => {
  for (let i = from; i < to; i++) log.info('e2e event', { k: `${run}:${i}` });
};
window.sinkStats = () => buffer.stats();
window.diagnostics = diagnostics;

const n = Number(params.get('n') ?? 0);
if (n) window.logRange(0, n, params.get('run') ?? 'r');
window.logged = true;
