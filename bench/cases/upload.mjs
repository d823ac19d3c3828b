// UploadSink cases for `npm run bench` (plain JS, no imports; `lib` is the built package).
//
// `cases` (synchronous loops): log() per event — queueing, the size estimate and the record's
// encoding (done once, at log time) — plus, every 100th call, the hand-off of the batch. A
// synchronous loop never lets a fetch promise settle (pending sends would pile up and distort the
// numbers), so the batch share goes through the synchronous exit path: same records, same body
// assembly and byte count, a no-op sendBeacon instead of fetch. `browserScenarios` measure the real
// normal path end to end with a no-op fetch that resolves 204.

const payload = { user: { id: 42, name: 'ada' }, items: [1, 2, 3], ok: true };
const context = { release: '1.4.2', session: 's-8f2c' };

/** A fresh event per call, as a LogContext builds one (the sink caches encodings per event). */
const event = (i) => ({
  id: `k3x9q2m7v1b8-${i.toString(36)}`,
  namespace: 'bench/upload/cart',
  level: 'info',
  severity: 9,
  message: 'cart updated',
  time: 1_700_000_000_000 + i,
  payload,
  context,
});

const noopFetch = () => Promise.resolve({ status: 204 });

function quietSink(lib, encoding, extra = {}) {
  return new lib.UploadSink({
    url: 'http://127.0.0.1/collect',
    encoding,
    resource: { 'service.name': 'bench' },
    fetch: noopFetch,
    sendBeacon: false,
    pageLifecycle: false,
    network: false,
    onDiagnostic: () => {},
    ...extra,
  });
}

function perEventCase(encoding) {
  return {
    name: `UploadSink.log ${encoding} (per event, incl. batching+encoding share)`,
    make: (lib) => {
      let clock = 1_700_000_000_000;
      let hide = () => {};
      const target = { addEventListener() {}, removeEventListener() {} };
      const document = {
        visibilityState: 'hidden',
        addEventListener: (type, fn) => type === 'visibilitychange' && (hide = fn),
        removeEventListener() {},
      };
      const sink = quietSink(lib, encoding, {
        now: () => clock,
        setTimeout: () => 0, // timers never fire inside a synchronous loop anyway
        clearTimeout: () => {},
        sendBeacon: () => true,
        pageLifecycle: { document, window: target },
      });
      return (i) => {
        sink.log(event(i));
        if (i % 100 === 99) {
          clock += 2000; // the previous hand-off's keepalive bytes are released
          hide();
        }
      };
    },
  };
}

export const cases = [perEventCase('json'), perEventCase('otlp')];

/** End to end on the main thread: 20 000 events in bursts of 100, each burst flushed. */
function throughput(encoding) {
  return {
    name: `UploadSink ${encoding}: 20 000 events, bursts of 100 + flush, no-op fetch`,
    run: async (lib) => {
      const sink = quietSink(lib, encoding);
      let n = 0;
      const t0 = performance.now();
      for (let k = 0; k < 200; k++) {
        for (let j = 0; j < 100; j++) sink.log(event(n++));
        await sink.flush();
      }
      const ms = performance.now() - t0;
      const s = sink.stats();
      await sink.close();
      return {
        events: n,
        delivered: s.delivered,
        ms: +ms.toFixed(1),
        usPerEvent: +((ms * 1000) / n).toFixed(3),
      };
    },
  };
}

export const browserScenarios = [throughput('json'), throughput('otlp')];
