// IndexedDbSink cases for `npm run bench` (plain JS, no imports; `lib` is the built package).
// Browser only: Node has no IndexedDB (the sink would measure its memory tier there).
//
// `browserScenarios`: sustained throughput into IndexedDB (events/s stored, end to end) and the
// longest main-thread task while logging 20 000 events/s for 5 s (target: none over 50 ms).

const payload = { user: { id: 42, name: 'ada' }, items: [1, 2, 3], ok: true };
const uniqueDb = (label) =>
  `mvx-bench-${label}-${Date.now()}-${Math.random().toString(36).slice(2)}`;

function deleteDb(name) {
  return new Promise((resolve) => {
    const r = indexedDB.deleteDatabase(name);
    r.onsuccess = r.onerror = r.onblocked = () => resolve();
  });
}

/** A standalone buffer big enough that nothing is evicted or dropped while measuring. */
function bigSink(lib, database, extra = {}) {
  return new lib.IndexedDbSink({
    database,
    maxEvents: 1_000_000,
    maxBytes: 1024 * 1024 * 1024,
    maxQueueEvents: 1_000_000,
    maxQueueBytes: 1024 * 1024 * 1024,
    pageLifecycle: false,
    onDiagnostic: () => {},
    ...extra,
  });
}

const nextTask = () => new Promise((r) => setTimeout(r, 0));

// No synchronous `cases`: a loop that never yields never lets a write run, so the queue would only
// grow (or overflow); the per-event main-thread cost is measured inside the 20 000 events/s run.
export const cases = [];

export const browserScenarios = [
  {
    name: 'IndexedDbSink: sustained throughput, 100 000 events (events/s stored)',
    run: async (lib) => {
      const database = uniqueDb('throughput');
      const sink = bigSink(lib, database);
      const ctx = new lib.LogContext({ namespace: 'bench/idb', sinks: { buffer: sink } });
      await sink.export({ limit: 0 }); // the database is open
      const total = 100_000;
      const t0 = performance.now();
      for (let i = 0; i < total; i += 2000) {
        for (let j = i; j < i + 2000; j++) ctx.info('cart updated', payload);
        await nextTask(); // let the writes run, as an app's event loop would
      }
      await sink.flush();
      const ms = performance.now() - t0;
      const stats = sink.stats();
      await sink.close();
      await deleteDb(database);
      return {
        eventsPerSecondStored: Math.round((stats.delivered / ms) * 1000),
        stored: stats.storedEvents,
        ms: Math.round(ms),
        dropped: Object.values(stats.dropped).reduce((a, b) => a + b, 0),
      };
    },
  },
  {
    name: 'IndexedDbSink: longest main-thread task while logging 20 000 events/s for 5 s',
    run: async (lib) => {
      const database = uniqueDb('longtask');
      const sink = bigSink(lib, database);
      const ctx = new lib.LogContext({ namespace: 'bench/idb', sinks: { buffer: sink } });
      await sink.export({ limit: 0 });
      const longTasks = [];
      const observer = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) longTasks.push(e.duration);
      });
      observer.observe({ type: 'longtask', buffered: false });
      let logged = 0;
      let maxTickMs = 0;
      let loggingMs = 0;
      const t0 = performance.now();
      await new Promise((resolve) => {
        const timer = setInterval(() => {
          const start = performance.now();
          // Catch up on late ticks, so the rate holds even when timers are delayed.
          const due = Math.min(Math.round(((start - t0) / 1000) * 20_000), 100_000) - logged;
          for (let i = 0; i < due; i++) ctx.info('cart updated', payload);
          logged += Math.max(due, 0);
          const tick = performance.now() - start;
          loggingMs += tick;
          maxTickMs = Math.max(maxTickMs, tick);
          if (logged >= 100_000) {
            clearInterval(timer);
            resolve();
          }
        }, 10); // 200 events per 10 ms tick = 20 000 events/s
      });
      await sink.flush();
      await new Promise((r) => setTimeout(r, 100)); // let the observer deliver the last entries
      observer.disconnect();
      const stats = sink.stats();
      await sink.close();
      await deleteDb(database);
      return {
        logged,
        seconds: Number(((performance.now() - t0) / 1000).toFixed(2)),
        longTasks: longTasks.length,
        longestTaskMs: Math.round(Math.max(0, ...longTasks)),
        longestLoggingTickMs: Number(maxTickMs.toFixed(1)),
        logCallUs: Number(((loggingMs * 1000) / logged).toFixed(2)), // ctx.info() incl. payload

        stored: stats.delivered,
        dropped: Object.values(stats.dropped).reduce((a, b) => a + b, 0),
      };
    },
  },
];
