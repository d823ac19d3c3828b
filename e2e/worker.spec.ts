import { expect, test, type APIRequestContext } from '@playwright/test';

const COUNT = 300;

async function stats(request: APIRequestContext, sid: string) {
  return (await request.get(`/stats?sid=${sid}`)).json();
}

test('a dedicated worker logs through UploadSink and IndexedDbSink (importScripts of the IIFE)', async ({
  page,
  request,
}) => {
  const sid = `worker-${Date.now().toString(36)}`;
  await page.goto(`/e2e/worker.html?sid=${sid}&count=${COUNT}`);
  const result = await page.evaluate(() => (window as any).workerResult);
  expect(result.hasWindow).toBe(false);
  expect(result.hasDocument).toBe(false);
  // COUNT logged + one captured console.warn + one captured uncaught error, in each sink.
  const expected = COUNT + 2;
  expect(result.upload).toMatchObject({ accepted: expected, delivered: expected });
  expect(result.buffer.tier).toBe('indexeddb');
  expect(result.buffer.drained).toBe(expected);
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
  expect(await page.evaluate(() => (window as any).workerErrors)).toEqual([
    'Uncaught Error: worker uncaught error',
  ]);
  console.log(
    `dedicated worker: ${expected} logged, upload ${result.upload.delivered} delivered, ` +
      `buffer ${result.buffer.drained} drained`,
  );
});

test('a service worker logs through UploadSink (JSON and OTLP) and IndexedDbSink', async ({
  page,
  request,
}) => {
  const sid = `sw-${Date.now().toString(36)}`;
  await page.goto(`/e2e/worker-sw.html?sid=${sid}&count=${COUNT}`);
  const result = await page.evaluate(() => (window as any).swResult);
  expect(result.hasWindow).toBe(false);
  expect(result.hasDocument).toBe(false);
  expect(result.upload).toMatchObject({ accepted: COUNT, delivered: COUNT });
  expect(result.otlp).toMatchObject({ accepted: COUNT, delivered: COUNT });
  expect(result.buffer).toMatchObject({ tier: 'indexeddb', storedEvents: COUNT });
  expect(await stats(request, `${sid}-upload`)).toMatchObject({ unique: COUNT, duplicates: 0 });
  expect(await stats(request, `${sid}-otlp`)).toMatchObject({ unique: COUNT, duplicates: 0 });
});
