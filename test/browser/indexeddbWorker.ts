// Runs IndexedDbSink inside a dedicated worker for indexeddbDegraded.test.ts: no document, no
// localStorage, IndexedDB and Web Locks present.
import { IndexedDbSink, LogContext } from '../../src/index.js';

self.onmessage = async (e: MessageEvent<string>) => {
  const database = e.data;
  try {
    const sink = new IndexedDbSink({ database, onDiagnostic: () => {} });
    const log = new LogContext({ namespace: 'worker', sinks: { buffer: sink } });
    for (let i = 0; i < 3; i++) log.info('from a worker', { i });
    const exported = await sink.export({ format: 'array' });
    const { tier } = sink.stats();
    await sink.clear();
    await sink.close();
    indexedDB.deleteDatabase(database);
    self.postMessage({ tier, exported: exported.length });
  } catch (error) {
    self.postMessage({ tier: 'none', exported: -1, error: String(error) });
  }
};
