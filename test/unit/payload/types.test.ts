import { describe, expect, it } from 'vitest';
import { LogPayloadProcessor } from '../../../src/index.js';

const p = new LogPayloadProcessor();
const run = (value: unknown) => p.process(value);

describe('LogPayloadProcessor: types', () => {
  it('passes JSON primitives through and maps the rest to strings', () => {
    expect(run('text')).toBe('text');
    expect(run(42.5)).toBe(42.5);
    expect(run(true)).toBe(true);
    expect(run(null)).toBe(null);
    expect(run(-0)).toBe(0);
    expect(Object.is(run(-0), 0)).toBe(true);
    expect(run(12345678901234567890n)).toBe('12345678901234567890');
    expect(run(Symbol('tag'))).toBe('Symbol(tag)');
    expect(run([NaN, Infinity, -Infinity])).toEqual(['NaN', 'Infinity', '-Infinity']);
  });

  it('describes functions and classes by name', () => {
    function named() {}
    class Thing {}
    expect(run([named, Thing, () => 1, async function load() {}])).toEqual([
      '[Function named]',
      '[Function Thing]',
      '[Function anonymous]',
      '[Function load]',
    ]);
  });

  it('drops undefined properties (like JSON) and writes undefined items as null', () => {
    expect(run(undefined)).toBe(null);
    expect(run({ a: undefined, b: 1 })).toEqual({ b: 1 });
    expect(run([undefined, 1, , 3])).toEqual([null, 1, null, 3]); // eslint-disable-line no-sparse-arrays
    expect(run(new Map([['gone', undefined]]))).toEqual({});
    expect(run(new Set([undefined]))).toEqual([null]);
  });

  it('writes Dates as ISO strings and an invalid Date as a marker', () => {
    expect(run({ at: new Date(Date.UTC(2024, 1, 29, 12)) })).toEqual({
      at: '2024-02-29T12:00:00.000Z',
    });
    expect(run(new Date(NaN))).toBe('[Invalid Date]');
  });

  it('copies an Error with name, message, stack, cause chain and own properties', () => {
    const root = new RangeError('root cause');
    const error = Object.assign(new TypeError('request failed', { cause: root }), {
      code: 'E_HTTP',
      status: 503,
    });
    const out = run({ nested: { deep: [error] } }) as any;
    const copy = out.nested.deep[0];
    expect(copy).toMatchObject({
      name: 'TypeError',
      message: 'request failed',
      code: 'E_HTTP',
      status: 503,
      cause: { name: 'RangeError', message: 'root cause' },
    });
    expect(copy.stack).toContain('request failed');
    expect(copy.cause.stack).toContain('root cause');
  });

  it('keeps the name of an Error subclass and a non-Error cause', () => {
    class HttpError extends Error {
      override name = 'HttpError';
      constructor(readonly status: number) {
        super(`HTTP ${status}`, { cause: { url: '/api' } });
      }
    }
    expect(run(new HttpError(404))).toMatchObject({
      name: 'HttpError',
      message: 'HTTP 404',
      status: 404,
      cause: { url: '/api' },
    });
  });

  it('copies AggregateError.errors and a DOMException', () => {
    const agg = new AggregateError([new Error('a'), new SyntaxError('b')], 'two failed');
    expect(run(agg)).toMatchObject({
      name: 'AggregateError',
      message: 'two failed',
      errors: [
        { name: 'Error', message: 'a' },
        { name: 'SyntaxError', message: 'b' },
      ],
    });
    expect(run({ e: new DOMException('nope', 'AbortError') })).toMatchObject({
      e: { name: 'AbortError', message: 'nope' },
    });
  });

  it('bounds the cause chain by maxDepth and shows the last error as "Name: message"', () => {
    let error = new Error('e0');
    for (let i = 1; i < 6; i++) error = new Error(`e${i}`, { cause: error });
    const out = new LogPayloadProcessor({ maxDepth: 3 }).process(error) as any;
    expect(out.message).toBe('e5');
    expect(out.cause.message).toBe('e4');
    expect(out.cause.cause.message).toBe('e3');
    expect(out.cause.cause.cause).toBe('Error: e2');
  });

  it('turns a cycle into a marker naming where it points, and keeps shared references', () => {
    const root: any = { name: 'root', child: { list: [] as unknown[] } };
    root.self = root;
    root.child.list.push(root.child, root);
    const shared = { id: 1 };
    root.a = shared;
    root.b = shared;
    expect(run(root)).toEqual({
      name: 'root',
      child: { list: ['[Circular ~.child]', '[Circular ~]'] },
      self: '[Circular ~]',
      a: { id: 1 },
      b: { id: 1 },
    });
  });

  it('detects a cycle through an Error cause and through a Map', () => {
    const error: any = new Error('loop');
    error.cause = error;
    expect((run(error) as any).cause).toBe('[Circular ~]');
    const map = new Map<string, unknown>();
    map.set('me', map);
    expect(run({ m: map })).toEqual({ m: { me: '[Circular ~.m]' } });
  });

  it('turns Maps into objects and Sets into arrays', () => {
    const key = { toString: () => 'obj-key' };
    expect(
      run(
        new Map<unknown, unknown>([
          ['a', 1],
          [2, 'two'],
          [key, new Set([1, 'x'])],
        ]),
      ),
    ).toEqual({ a: 1, 2: 'two', 'obj-key': [1, 'x'] });
  });

  it('summarizes typed arrays, ArrayBuffer and DataView', () => {
    expect(
      run([
        new Uint8Array(16),
        new Float64Array(3),
        new ArrayBuffer(8),
        new DataView(new ArrayBuffer(4)),
      ]),
    ).toEqual(['[Uint8Array(16)]', '[Float64Array(3)]', '[ArrayBuffer(8)]', '[DataView(4)]']);
  });

  it('writes URLs and RegExps as strings, other host objects as their tag', () => {
    expect(run([new URL('https://example.test/a?b=1'), /a+b/gi])).toEqual([
      'https://example.test/a?b=1',
      '/a+b/gi',
    ]);
    expect(run([new String('s'), new Number(2), new Boolean(false)])).toEqual(['s', '2', 'false']);
    expect(run([Promise.resolve(), new WeakMap(), new WeakSet()])).toEqual([
      '[Promise]',
      '[WeakMap]',
      '[WeakSet]',
    ]);
  });

  it('honours toJSON like JSON.stringify, with the property key', () => {
    const keys: string[] = [];
    const value = {
      money: {
        toJSON(key: string) {
          keys.push(key);
          return { amount: 5, currency: 'EUR' };
        },
      },
    };
    expect(run(value)).toEqual({ money: { amount: 5, currency: 'EUR' } });
    expect(keys).toEqual(['money']);
  });

  it('stops a toJSON that returns its own object at the depth limit', () => {
    const selfish = {
      toJSON() {
        return this;
      },
    };
    expect(() => run(selfish)).not.toThrow();
    expect(typeof run(selfish)).toBe('string');
  });

  it('copies class instances and arguments objects by own enumerable properties, as JSON does', () => {
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
      get length() {
        return Math.hypot(this.x, this.y);
      }
    }
    function args(..._: unknown[]) {
      // eslint-disable-next-line prefer-rest-params
      return arguments;
    }
    expect(run({ p: new Point(3, 4), args: args(1, 'a') })).toEqual({
      p: { x: 3, y: 4 },
      args: { 0: 1, 1: 'a' },
    });
  });

  it('describes an Event by type and target', () => {
    const target = new EventTarget();
    let seen: unknown;
    target.addEventListener('ping', (event) => (seen = run(event)));
    target.dispatchEvent(new Event('ping'));
    expect(seen).toEqual({ type: 'ping', target: '[EventTarget]' });
    expect(run(new Event('idle'))).toEqual({ type: 'idle', target: null });
  });
});
