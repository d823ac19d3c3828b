import type { APIRequestContext } from '@playwright/test';
import { expect, test } from './fixtures.js';

// The IIFE in a dedicated Web Worker and in a Service Worker (importScripts), in every engine:
// logging, UploadSink (JSON and OTLP) and IndexedDbSink delivery, counted by the local collector.

const COUNT = 300;

/** One line for the CI log, with the engine's name. */
const say = (text: string) => console.log(`[worker e2e] ${test.info().project.name} ${text}`);

async function stats(request: APIRequestContext, sid: string) {
  return (await request.get(`/stats?sid=${sid}`)).json();
}

test('a dedicated worker logs through UploadSink and IndexedDbSink (importScripts of the IIFE)', async ({
  tab,
  request,
}) => {
  const sid = `worker-${Date.now().toString(36)}`;
  await tab.goto(`/e2e/worker.html?sid=${sid}&count=${COUNT}`);
  // The worker reports once everything was delivered (or after 20 s).
  const result = await tab.evaluate(() => (window as any).workerResult);
  expect(result.hasWindow).toBe(false);
  expect(result.hasDocument).toBe(false);
  // COUNT logged + one captured console.warn + one captured uncaught error, in each sink.
  const expected = COUNT + 2;
  expect(result.upload).toMatchObject({ accepted: expected, delivered: expected });
  expect(result.buffer.tier).toBe('indexeddb');
  expect(result.buffer.drained).toBe(expected);
  expect(result.diagnostics).toEqual([]);
  for (const suffix of ['upload', 'buffer']) {
    const s = await stats(request, `${sid}-${suffix}`);
    expect(s).toMatchObject({ unique: expected, duplicates: 0 });
  }
  expect((await stats(request, `${sid}-buffer`)).byEncoding).toEqual(
    expect.objectContaining({ otlp: expect.any(Number) }),
  );
  const events: { message: string }[] = await (
    await request.get(`/events?sid=${sid}-upload`)
  ).json();
  const messages = events.map((e) => e.message);
  expect(messages).toContain('Error: worker uncaught error');
  expect(messages).toContain('worker console warning');
  // The error captureErrors saw still reaches the page's Worker `error` event (not prevented).
  // Chromium prefixes the message with "Uncaught "; Firefox and WebKit do not.
  const workerErrors: string[] = await tab.evaluate(() => (window as any).workerErrors);
  expect(workerErrors).toHaveLength(1);
  expect(workerErrors[0]).toMatch(/^(Uncaught )?Error: worker uncaught error$/);
  say(
    `dedicated worker: ${expected} logged, upload ${result.upload.delivered} delivered, ` +
      `buffer ${result.buffer.drained} drained`,
  );
});

test('a service worker logs through UploadSink (JSON and OTLP) and IndexedDbSink', async ({
  tab,
  request,
}) => {
  const sid = `sw-${Date.now().toString(36)}`;
  await tab.goto(`/e2e/worker-sw.html?sid=${sid}&count=${COUNT}`);
  const result = await tab.evaluate(() => (window as any).swResult);
  if (result.unsupported) {
    const description = `${tab.engine}: skipped step "service worker logs" (${result.unsupported})`;
    test.info().annotations.push({ type: 'skipped step', description });
    say(description);
    test.skip(true, description);
    return;
  }
  expect(result.failed).toBeUndefined();
  expect(result.hasWindow).toBe(false);
  expect(result.hasDocument).toBe(false);
  expect(result.upload).toMatchObject({ accepted: COUNT, delivered: COUNT });
  expect(result.otlp).toMatchObject({ accepted: COUNT, delivered: COUNT });
  expect(result.buffer).toMatchObject({ tier: 'indexeddb', storedEvents: COUNT });
  expect(result.diagnostics).toEqual([]);
  expect(await stats(request, `${sid}-upload`)).toMatchObject({ unique: COUNT, duplicates: 0 });
  expect(await stats(request, `${sid}-otlp`)).toMatchObject({ unique: COUNT, duplicates: 0 });
  say(
    `service worker: ${COUNT} logged, json ${result.upload.delivered}, otlp ${result.otlp.delivered}`,
  );
});
