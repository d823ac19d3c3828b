import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeOtlpLogs } from '../../../src/index.js';
import {
  startCollectorDouble,
  type CollectorDouble,
} from '../../collectorDouble/collectorDouble.js';
import { docsCorsFor } from '../../collectorDouble/docsCollectorConfig.js';
import { makeEvent } from '../sinks/helpers.js';

// The double must behave like a stock Collector (ENGINES.md), or the e2e tests prove nothing.
// Ports of the upload worktree's range; the double listens on 127.0.0.1 only here.
const APP = 'http://127.0.0.1:4440';
let plain: CollectorDouble; // no cors block: CORS off
let docs: CollectorDouble; // configured as the docs tell users
let narrow: CollectorDouble; // the old docs' allowed_headers: [Content-Encoding]

beforeAll(async () => {
  const hosts = ['127.0.0.1'];
  plain = await startCollectorDouble({ port: 4457, hosts });
  docs = await startCollectorDouble({ port: 4458, hosts, cors: docsCorsFor(APP) });
  narrow = await startCollectorDouble({
    port: 4459,
    hosts,
    cors: { allowed_origins: [APP], allowed_headers: ['Content-Encoding'] },
  });
});
afterAll(() => Promise.all([plain, docs, narrow].map((double) => double.stop())));

const body = (...keys: string[]) =>
  encodeOtlpLogs(keys.map((k, i) => makeEvent(i, { id: `id-${k}`, payload: { k } })));

const post = (double: CollectorDouble, sid: string, init: RequestInit) =>
  fetch(double.logsUrl(sid, '127.0.0.1'), { method: 'POST', ...init });

const preflight = (double: CollectorDouble, headers: string, origin = APP) =>
  fetch(double.logsUrl('preflight', '127.0.0.1'), {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': headers,
    },
  });

describe('Collector double: media types and bodies', () => {
  it('accepts application/json (parameters and case ignored) with {"partialSuccess":{}}', async () => {
    for (const type of ['application/json', 'Application/JSON; charset=utf-8']) {
      const res = await post(plain, 'types', {
        body: body('a'),
        headers: { 'content-type': type },
      });
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('{"partialSuccess":{}}');
    }
    expect(plain.session('types').counts()).toMatchObject({ unique: 1, duplicates: 1 });
  });

  it('answers 415 to text/plain and to a missing content type, 405 to GET', async () => {
    const text = await post(plain, 't415', { body: new Blob([body('a')], { type: 'text/plain' }) });
    expect(text.status).toBe(415);
    const none = await post(plain, 't415', { body: new Uint8Array(Buffer.from(body('b'))) });
    expect(none.status).toBe(415);
    expect((await fetch(plain.logsUrl('t415', '127.0.0.1'))).status).toBe(405);
    expect(plain.session('t415').counts()).toMatchObject({ unsupportedMediaType: 2, unique: 0 });
  });

  it('reads gzip, answers 400 to GZIP and to a body that is not JSON', async () => {
    const gz = new Uint8Array(gzipSync(body('g')));
    const headers = { 'content-type': 'application/json', 'content-encoding': 'gzip' };
    expect((await post(plain, 'gz', { body: gz, headers })).status).toBe(200);
    const upper = { ...headers, 'content-encoding': 'GZIP' };
    expect((await post(plain, 'gz', { body: gz, headers: upper })).status).toBe(400);
    const bad = await post(plain, 'gz', {
      body: '{',
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).code).toBe(3);
    expect(plain.session('gz').keys()).toEqual(['g']);
  });

  it('flags a body a strict OTLP decoder would reject (lone surrogate)', async () => {
    const text = body('x').replace('"x"', '"x\\ud800"');
    await post(plain, 'strict', { body: text, headers: { 'content-type': 'application/json' } });
    expect(plain.session('strict').counts().nonConformant).toBe(1);
  });
});

describe('Collector double: CORS', () => {
  it('has CORS off without allowed_origins: a preflight gets 405', async () => {
    expect((await preflight(plain, 'content-type')).status).toBe(405);
  });

  it('refuses a preflight for content-type when allowed_headers lists only Content-Encoding', async () => {
    const res = await preflight(narrow, 'content-type');
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(
      (await preflight(narrow, 'content-encoding')).headers.get('access-control-allow-origin'),
    ).toBe(APP);
  });

  it('refuses another origin', async () => {
    const res = await preflight(docs, 'content-type', 'http://localhost:9999');
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('configured from the docs: allows what the sink sends and exposes Retry-After', async () => {
    const res = await preflight(docs, 'content-type, content-encoding');
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    docs.session('exposed').fault = { mode: 'status', status: 503, retryAfter: '2', times: 1 };
    const refused = await post(docs, 'exposed', {
      body: body('r'),
      headers: { 'content-type': 'application/json', origin: APP },
    });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('2');
    expect(refused.headers.get('access-control-expose-headers')?.toLowerCase()).toContain(
      'retry-after',
    );
    expect(docs.session('preflight').counts()).toMatchObject({
      preflights: 2,
      refusedPreflights: 1,
    });
  });
});

describe('Collector double: faults', () => {
  it('reset: keeps the records and drops the connection without an answer', async () => {
    plain.session('reset').fault = { mode: 'reset', times: 1 };
    const init = { body: body('z'), headers: { 'content-type': 'application/json' } };
    await expect(post(plain, 'reset', init)).rejects.toThrow();
    expect((await post(plain, 'reset', init)).status).toBe(200);
    expect(plain.session('reset').counts()).toMatchObject({ unique: 1, duplicates: 1 });
  });
});
