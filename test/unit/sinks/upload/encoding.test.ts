import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeJsonBatch, encodeOtlpLogs, type LogEvent } from '../../../../src/index.js';
import { idsOf } from '../../../fakes/fetch.js';
import { backoffDelay } from '../../../../src/sinks/backoff.js';
import { classifyResponse, parseRetryAfter } from '../../../../src/sinks/upload/transport.js';
import { utf8Length } from '../../../../src/sinks/upload/utf8.js';
import { makeEvent } from '../helpers.js';

describe('JSON batch encoder', () => {
  it('is { resource, events } with events as the SDK built them', () => {
    const events = [makeEvent(1, { payload: { a: [1, { b: null }] }, context: { u: 'x' } })];
    expect(JSON.parse(encodeJsonBatch(events, { 'service.name': 's' }))).toEqual({
      resource: { 'service.name': 's' },
      events,
    });
    expect(JSON.parse(encodeJsonBatch(events))).toEqual({ events });
  });

  it('never throws on a hand-made event that JSON cannot represent', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const body = JSON.parse(encodeJsonBatch([makeEvent(1, { payload: cyclic })]));
    expect(body.events[0]).toMatchObject({ id: 'ev-1', payload: '[Unserializable]' });
    const big = JSON.parse(encodeJsonBatch([makeEvent(2, { payload: 10n })]));
    expect(big.events[0].payload).toBe('10');
  });

  it('keeps the routing fields of a hand-made event broken outside its payload', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const extra = { ...makeEvent(1), extra: cyclic } as LogEvent;
    const getter = Object.defineProperty({ ...makeEvent(2) }, 'payload', {
      enumerable: true,
      get() {
        throw new Error('hostile');
      },
    });
    const body = JSON.parse(encodeJsonBatch([extra, getter]));
    expect(body.events).toEqual([
      { ...makeEvent(1), payload: '[Unserializable]' },
      { ...makeEvent(2), payload: '[Unserializable]' },
    ]);
    expect(idsOf(encodeOtlpLogs([extra, getter]))).toEqual(['ev-1', 'ev-2']);
  });
});

describe('Retry-After', () => {
  const now = Date.UTC(2026, 0, 1, 12, 0, 0);
  it.each([
    ['120', 120_000],
    [' 0 ', 0],
    ['Thu, 01 Jan 2026 12:00:30 GMT', 30_000],
    ['Thu, 01 Jan 2026 11:00:00 GMT', 0], // in the past
    ['1.5', undefined],
    ['soon', undefined],
    ['', undefined],
    [null, undefined],
  ])('%j → %j ms', (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });
});

describe('classifyResponse', () => {
  const res = (status: number, retryAfter?: string) => ({
    status,
    headers: new Headers(retryAfter ? { 'Retry-After': retryAfter } : {}),
  });
  it.each([
    [200, { ok: true, retry: false }],
    [204, { ok: true, retry: false }],
    [400, { ok: false, retry: false }],
    [413, { ok: false, retry: false, status: 413 }],
    [408, { ok: false, retry: true }],
    [429, { ok: false, retry: true }],
    [500, { ok: false, retry: true }],
    [0, { ok: false, retry: true }],
  ])('%i', (status, expected) => {
    expect(classifyResponse(res(status), 0)).toMatchObject(expected);
  });
  it('reads Retry-After on retryable answers and survives a broken response', () => {
    expect(classifyResponse(res(503, '3'), 0)).toMatchObject({ retry: true, retryAfterMs: 3000 });
    expect(classifyResponse(undefined, 0)).toMatchObject({ ok: false, retry: true });
    const hostile = {
      status: 503,
      headers: {
        get() {
          throw new Error('nope');
        },
      },
    };
    expect(classifyResponse(hostile, 0)).toEqual({ ok: false, retry: true, status: 503 });
  });
});

describe('utf8Length', () => {
  // A property test: slow on a loaded machine, so it gets room beyond the default 5 s.
  it(
    'equals the UTF-8 byte length for any string, including lone surrogates',
    { timeout: 30_000 },
    () => {
      fc.assert(
        fc.property(fc.string({ unit: 'binary' }), (s) => {
          expect(utf8Length(s)).toBe(new TextEncoder().encode(s).length);
        }),
      );
      expect(utf8Length('a\ud800b')).toBe(5);
      expect(utf8Length('😀é')).toBe(6);
      // the ASCII fast path, and the loop after it when one character is not ASCII
      fc.assert(
        fc.property(fc.string({ unit: 'binary-ascii' }), fc.string({ unit: 'binary' }), (a, b) => {
          expect(utf8Length(a)).toBe(a.length);
          expect(utf8Length(a + b)).toBe(new TextEncoder().encode(a + b).length);
        }),
      );
      expect(utf8Length('\0\x7f'.repeat(500) + 'é')).toBe(1002);
    },
  );
});

describe('backoffDelay', () => {
  it('stays within [0, min(max, base·2^(attempt-1))) for any random value', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, r) => {
          const cap = Math.min(30_000, 500 * 2 ** (attempt - 1));
          const d = backoffDelay(attempt, 500, 30_000, () => r);
          expect(d).toBeGreaterThanOrEqual(0);
          expect(d).toBeLessThanOrEqual(cap);
        },
      ),
    );
    expect(backoffDelay(3, 100, 10_000, () => 5)).toBe(200); // a broken random source → mid
  });
});
