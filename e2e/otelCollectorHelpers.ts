import { ENGINE_NAMES, type EngineName, type Tab } from './driver/index.js';
import { BASE_PORT } from './engines.js';
import { expect, test } from './fixtures.js';
import {
  startCollectorDouble,
  type CollectorDouble,
  type CollectorSession,
} from '../test/collectorDouble/collectorDouble.js';
import { docsCorsFor } from '../test/collectorDouble/docsCollectorConfig.js';
import { reportFor } from './indexeddbHelpers.js';

/** The double's port: 10 above the suite's first port, two per engine (one per worker). */
const doublePort = (engineIndex: number, parallelIndex: number) =>
  BASE_PORT + 10 + 2 * engineIndex + (parallelIndex % 2);

/** Starts the double of a test worker running `engine` with the page at `baseURL`. */
function startWorkerCollector(engine: EngineName, baseURL: string, parallelIndex: number) {
  return startCollectorDouble({
    port: doublePort(ENGINE_NAMES.indexOf(engine), parallelIndex),
    cors: docsCorsFor(new URL(baseURL).origin),
  });
}

/**
 * The driver layer's `test` with a `collector`: a Collector double per test worker (one engine
 * each), configured from the docs' YAML block, on its own port under `localhost` while the page is
 * on 127.0.0.1, so every request is cross-origin.
 */
const collectorTest = test.extend<object, { collector: CollectorDouble }>({
  collector: [
    async ({ engineName }, use, workerInfo) => {
      const baseURL = String(workerInfo.project.use.baseURL);
      const double = await startWorkerCollector(engineName, baseURL, workerInfo.parallelIndex);
      await use(double);
      await double.stop();
    },
    { scope: 'worker' },
  ],
});

export { expect, collectorTest as test };

let sidSeq = 0;
/** A fresh collector session (and database name). */
export const newSid = (label: string) => `otel-${label}-${Date.now()}-${sidSeq++}`;

/** Keys `run:0` … `run:n-1`. */
export const keys = (run: string, n: number) => Array.from({ length: n }, (_, i) => `${run}:${i}`);

/** Opens the OTLP app page for `sid` and waits until its script ran. */
export async function openOtelApp(tab: Tab, collector: CollectorDouble, sid: string, query = '') {
  const url = encodeURIComponent(collector.logsUrl(sid));
  await tab.goto(`/e2e/otel.html?collector=${url}&db=e2e-${sid}&${query}`);
  await tab.waitFor(() => (window as { logged?: boolean }).logged === true);
}

/**
 * Waits until the session holds `expected` unique events, then checks they are exactly those and
 * that nothing was refused on the way (no 415, no refused preflight, every body conformant).
 */
export async function expectDelivered(
  session: CollectorSession,
  expected: string[],
  timeout = 30_000,
) {
  await expect
    .poll(() => session.counts().unique, { timeout, intervals: [100, 250, 500] })
    .toBeGreaterThanOrEqual(expected.length);
  expect(session.keys().sort()).toEqual(expected.slice().sort());
  const counts = session.counts();
  expect(counts.unsupportedMediaType, 'requests answered 415').toBe(0);
  expect(counts.refusedPreflights, 'refused preflights').toBe(0);
  expect(session.problems, 'bodies a strict OTLP decoder rejects').toEqual([]);
  return counts;
}

/** The content types (and encodings) of the session's POSTs, e.g. `{"application/json": 3}`. */
export function contentTypes(session: CollectorSession) {
  const seen: Record<string, number> = {};
  for (const request of session.requests.filter((r) => r.method === 'POST')) {
    const key =
      request.contentType + (request.contentEncoding ? ` +${request.contentEncoding}` : '');
    seen[key] = (seen[key] ?? 0) + 1;
  }
  return seen;
}

export { droppedTotal } from './indexeddbHelpers.js';

/** One line per scenario in the CI log. */
export const report = reportFor('otel');
