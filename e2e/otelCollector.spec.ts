import {
  contentTypes,
  droppedTotal,
  expect,
  expectDelivered,
  keys,
  newSid,
  openOtelApp,
  report,
  test,
} from './otelCollectorHelpers.js';

// UploadSink({ encoding: 'otlp' }) against a double of a stock OpenTelemetry Collector on another
// origin, configured from the docs' YAML (issue 12): every path delivers, with no 415 and no
// refused preflight, in every engine.

type Win = Window & { previousExit: any; flushAll(): Promise<any>; TRACEPARENT: string };

test('a flush delivers everything; records carry the trace context', async ({ tab, collector }) => {
  const sid = newSid('flush');
  await openOtelApp(tab, collector, sid, 'n=500&run=f&trace=1');
  await tab.evaluate(() => (window as unknown as Win).flushAll());
  const session = collector.session(sid);
  const counts = await expectDelivered(session, keys('f', 500));
  const [, traceId, spanId] = (
    await tab.evaluate(() => (window as unknown as Win).TRACEPARENT)
  ).split('-');
  for (const record of session.records) {
    expect(record.traceId).toBe(traceId);
    expect(record.spanId).toBe(spanId);
    expect(record.flags).toBe(1);
  }
  report('flush', {
    delivered: counts.unique,
    duplicates: counts.duplicates,
    types: contentTypes(session),
    preflights: counts.preflights,
  });
  expect(counts.duplicates).toBe(0);
});

test('gzip: compressed bodies are accepted', async ({ tab, collector }) => {
  const sid = newSid('gzip');
  await openOtelApp(tab, collector, sid, 'n=500&run=g&gzip=1');
  await tab.evaluate(() => (window as unknown as Win).flushAll());
  const session = collector.session(sid);
  const counts = await expectDelivered(session, keys('g', 500));
  report('gzip', {
    delivered: counts.unique,
    duplicates: counts.duplicates,
    types: contentTypes(session),
  });
  expect(session.requests.some((r) => r.contentEncoding === 'gzip')).toBe(true);
  expect(counts.duplicates).toBe(0);
});

test('the tab closed at once: the exit path delivers everything', async ({
  openTab,
  collector,
}) => {
  const sid = newSid('close');
  const page = await openTab();
  // exitOnly: the 100 events (about 40 KB of OTLP, within the 60 KiB exit budget) are still
  // queued when the tab closes, so the exit requests carry them. nativeBeacon: the page does not
  // wrap sendBeacon (see otel.js), so its beacons are not in `exitRequests`.
  await openOtelApp(page, collector, sid, 'n=100&run=c&exitOnly=1&nativeBeacon=1');
  await page.close();
  const session = collector.session(sid);
  const counts = await expectDelivered(session, keys('c', 100));
  const next = await openTab();
  await openOtelApp(next, collector, sid, ''); // reads what the closed page recorded at its exit
  const exit = await next.evaluate(() => (window as unknown as Win).previousExit);
  // Firefox's second copy (issue 11) came 40-750 ms after the first: watch 2 s for one.
  await expect
    .poll(() => session.counts().duplicates, { timeout: 2000 })
    .toBeGreaterThan(0)
    .catch(() => undefined);
  report('close-at-once', {
    delivered: counts.unique,
    duplicates: session.counts().duplicates,
    posts: session.counts().posts,
    types: contentTypes(session),
    preflights: counts.preflights,
    exitRequests: exit?.transports
      ?.filter((t: { phase: string }) => t.phase !== 'visible')
      .map((t: { via: string; type: string }) => `${t.via} ${t.type}`),
    diagnostics: exit?.diagnostics,
  });
  expect(session.counts().duplicates).toBe(0);
});

test('IndexedDbSink in front, tab closed at once, app reopened: everything arrives', async ({
  openTab,
  collector,
}) => {
  const sid = newSid('idb');
  const page = await openTab();
  await openOtelApp(page, collector, sid, 'n=2000&run=i&buffer=1');
  await page.close();
  const again = await openTab();
  await openOtelApp(again, collector, sid, 'buffer=1');
  const exit = await again.evaluate(() => (window as unknown as Win).previousExit);
  const session = collector.session(sid);
  const counts = await expectDelivered(session, keys('i', 2000), 45_000);
  report('idb-close-reopen', {
    delivered: counts.unique,
    duplicates: counts.duplicates,
    dropped: droppedTotal(exit),
    types: contentTypes(session),
  });
  expect(droppedTotal(exit)).toBe(0);
  expect(counts.duplicates).toBeLessThanOrEqual(100);
});

test('503 with Retry-After: 2 is honoured (exposed cross-origin), then everything arrives', async ({
  tab,
  collector,
}) => {
  const sid = newSid('503');
  const session = collector.session(sid);
  session.fault = { mode: 'status', status: 503, retryAfter: '2', times: 1 };
  await openOtelApp(tab, collector, sid, 'n=50&run=r');
  const counts = await expectDelivered(session, keys('r', 50));
  const posts = session.requests.filter((r) => r.method === 'POST');
  const refused = posts.findIndex((r) => r.status === 503);
  const waitedMs = posts[refused + 1]!.at - posts[refused]!.at;
  report('503-retry-after', { delivered: counts.unique, duplicates: counts.duplicates, waitedMs });
  // The sink's own backoff would retry within ~0.5 s; Retry-After says 2 s.
  expect(waitedMs).toBeGreaterThanOrEqual(1900);
});

test('measure: which application/json exit request arrives cross-origin (5 closes)', async ({
  openTab,
  collector,
}) => {
  test.fixme(
    test.info().project.name === 'firefox',
    'known gap: Firefox ESR delivered the JSON beacon sent while the tab closed in 4 of 5 closes ' +
      'in a CI run (5 of 5 in others); the measurement stays asserted in Chromium and WebKit',
  );
  const arrived = { beaconJsonBlob: 0, keepaliveFetchJson: 0 };
  for (let run = 0; run < 5; run++) {
    const sid = newSid(`probe-${run}`);
    const page = await openTab();
    await openOtelApp(page, collector, sid, 'exitProbe=1');
    await page.close();
    const session = collector.session(sid);
    // Wait for both, or 10 s: a probe that never comes is the measurement.
    await expect
      .poll(() => session.keys().length, { timeout: 10_000 })
      .toBe(2)
      .catch(() => undefined);
    if (session.keys().includes('probe:beacon')) arrived.beaconJsonBlob++;
    if (session.keys().includes('probe:keepalive')) arrived.keepaliveFetchJson++;
  }
  report('exit-path', { closes: 5, ...arrived });
  // The sink's exit path sends JSON beacons first: they must arrive in every engine.
  expect(arrived.beaconJsonBlob).toBe(5);
});

// Issue 11.2: a batch in flight when the page goes away is left to its keepalive request or
// re-sent by the exit path, never both. Chromium's window.close() by the opener is the case that
// showed it (hidden, then pagehide, while the page lives on for a moment); gzip keeps a batch
// "being compressed" at exit. Only Chromium's window.open returns a window under every driver.
test('closed by its opener, 10 times: everything handed off arrives once', async ({
  tab,
  engine,
  collector,
}) => {
  test.skip(!engine.capabilities.supportsWindowOpen, 'window.open returns null here');
  test.setTimeout(120_000);
  const results: string[] = [];
  let duplicates = 0;
  for (let run = 0; run < 10; run++) {
    const sid = newSid(`opener-${run}`);
    const gzip = run % 2 ? '&gzip=1' : '';
    await openOtelApp(tab, collector, newSid('opener-page'), '');
    const url = collector.logsUrl(sid);
    const exit = await tab.evaluate(
      async (childUrl) => {
        const child = window.open(childUrl) as (Window & { logged?: boolean }) | null;
        if (!child) return 'no window';
        await new Promise<void>((resolve) => {
          const check = () => (child.logged ? resolve() : setTimeout(check, 10));
          check();
        });
        child.close();
        const key = `e2e-otel-exit:${new URL(childUrl, location.href).searchParams.get('collector')}`;
        await new Promise<void>((resolve) => {
          const check = () => (localStorage.getItem(key) ? resolve() : setTimeout(check, 10));
          check();
        });
        return JSON.parse(localStorage.getItem(key)!);
      },
      `/e2e/otel.html?collector=${encodeURIComponent(url)}&n=150&run=o${gzip}`,
    );
    expect(exit).not.toBe('no window');
    const session = collector.session(sid);
    const expected = 150 - exit.exitLeft;
    const counts = await expectDelivered(session, keys('o', 150).slice(0, expected));
    duplicates += counts.duplicates;
    results.push(`${counts.unique}/${counts.duplicates}${gzip ? 'gz' : ''}`);
    if (counts.duplicates) console.log(JSON.stringify(exit.transports), exit.diagnostics);
  }
  report('closed-by-opener', { runs: 10, 'delivered/duplicates': results });
  expect(duplicates).toBe(0);
});
