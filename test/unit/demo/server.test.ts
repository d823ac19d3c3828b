import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM module without types
import { startServer } from '../../../demo/server.mjs';

interface Running {
  port: number;
  close(): Promise<void>;
}

let running: Running | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const batch = (...ids: string[]) =>
  JSON.stringify({ events: ids.map((id) => ({ id, level: 'info', message: `m ${id}` })) });

/** Subscribes (resolves once the server has the subscription), then reads until `until` accepts. */
async function openLive(port: number, sid: string) {
  const controller = new AbortController();
  const res = await fetch(`http://127.0.0.1:${port}/live?sid=${sid}`, {
    signal: controller.signal,
  });
  expect(res.headers.get('content-type')).toBe('text/event-stream');
  return (until: (data: any) => boolean) => readUntil(res, controller, until);
}

async function readUntil(
  res: Response,
  controller: AbortController,
  until: (data: any) => boolean,
) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const seen: any[] = [];
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      if (!block.startsWith('data: ')) continue;
      const data = JSON.parse(block.slice(6));
      seen.push(data);
      if (until(data)) {
        controller.abort();
        return seen;
      }
    }
  }
  return seen;
}

describe('demo server', () => {
  it('appends accepted, de-duplicated events to the NDJSON file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mvx-demo-')), 'data', 'events.ndjson');
    running = (await startServer({ port: 0, ndjsonFile: file })) as Running;
    const post = (body: string) =>
      fetch(`http://127.0.0.1:${running!.port}/collect?sid=s1`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body,
      });
    expect((await post(batch('a', 'b'))).status).toBe(204);
    expect((await post(batch('b', 'c'))).status).toBe(204); // b is a duplicate
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.sid, l.kind, l.event.id])).toEqual([
      ['s1', 'json', 'a'],
      ['s1', 'json', 'b'],
      ['s1', 'json', 'c'],
    ]);
    expect(typeof lines[0].receivedAt).toBe('string');
  });

  it('pushes live counts over Server-Sent Events', async () => {
    running = (await startServer({ port: 0 })) as Running;
    const base = `http://127.0.0.1:${running.port}`;
    const read = await openLive(running.port, 'live1');
    await fetch(`${base}/collect?sid=live1`, { method: 'POST', body: batch('x', 'y') });
    await fetch(`${base}/collect?sid=live1`, { method: 'POST', body: batch('y') });
    const seen = await read((d) => d.received === 3);
    expect(seen[0]).toMatchObject({ sid: 'live1', received: 0 }); // the state when subscribing
    expect(seen.at(-1)).toMatchObject({ received: 3, unique: 2, duplicates: 1 });
  });
});
