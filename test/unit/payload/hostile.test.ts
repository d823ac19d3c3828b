import { describe, expect, it } from 'vitest';
import { LogPayloadProcessor } from '../../../src/index.js';

const p = new LogPayloadProcessor();
const run = (value: unknown) => p.process(value);

describe('LogPayloadProcessor: hostile input', () => {
  it('marks a throwing getter and keeps the other properties', () => {
    const value = {
      ok: 1,
      get boom(): never {
        throw new Error('getter');
      },
    };
    expect(run(value)).toEqual({ ok: 1, boom: '[Unreadable]' });
  });

  it('marks a throwing array index getter and keeps the other items', () => {
    const list = [1, 2, 3];
    Object.defineProperty(list, 1, {
      get() {
        throw new Error('index');
      },
    });
    expect(run(list)).toEqual([1, '[Unreadable]', 3]);
  });

  it('marks revoked Proxies, wherever they are', () => {
    const { proxy, revoke } = Proxy.revocable({ a: 1 }, {});
    revoke();
    expect(run(proxy)).toBe('[Unreadable]');
    expect(run({ p: proxy, list: [proxy, 2] })).toEqual({
      p: '[Unreadable]',
      list: ['[Unreadable]', 2],
    });
    const fn = Proxy.revocable(() => 1, {});
    fn.revoke();
    expect(run(fn.proxy)).toBe('[Unreadable]');
  });

  it('marks Proxies whose traps throw, and reads a well-behaved Proxy', () => {
    const thrower = () => {
      throw new Error('trap');
    };
    for (const trap of ['ownKeys', 'get', 'getPrototypeOf', 'getOwnPropertyDescriptor']) {
      const proxy = new Proxy({ a: 1 }, { [trap]: thrower });
      expect(() => run({ proxy })).not.toThrow();
      expect(run({ proxy, after: 2 })).toMatchObject({ after: 2 });
    }
    expect(run(new Proxy({ a: 1 }, {}))).toEqual({ a: 1 });
    expect(run(new Proxy([1, 2], {}))).toEqual([1, 2]);
  });

  it('catches a throwing toJSON, a throwing toString of a Map key and a throwing name', () => {
    const badJson = {
      toJSON() {
        throw new Error('toJSON');
      },
    };
    const badKey = new Map([[{ toString: () => ({}) }, 1]]); // String(key) throws TypeError
    const badName = Object.defineProperty(function f() {}, 'name', {
      get() {
        throw new Error('name');
      },
    });
    expect(run({ badJson, badKey, badName, ok: true })).toEqual({
      badJson: '[Unreadable]',
      badKey: '[Unreadable]',
      badName: '[Unreadable]',
      ok: true,
    });
  });

  it('copies null-prototype objects, and a "__proto__" key as a property', () => {
    const bare = Object.assign(Object.create(null), { a: 1 });
    expect(run(bare)).toEqual({ a: 1 });
    const out = run(JSON.parse('{"__proto__":{"polluted":true},"a":2}')) as any;
    expect(Object.keys(out)).toEqual(['__proto__', 'a']);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(out.polluted).toBeUndefined();
    expect(JSON.parse(JSON.stringify(out))).toEqual(out);
  });

  it('reports a hostile Symbol.toStringTag as what it claims, without throwing', () => {
    const liar = Object.create({ [Symbol.toStringTag]: 'Date' });
    expect(run(liar)).toBe('[Unreadable]'); // getTime on a non-Date throws, caught
    expect(run({ [Symbol.toStringTag]: 'Date', a: 1 })).toEqual({ a: 1 }); // plain: copied
    const throwing = Object.create({
      get [Symbol.toStringTag](): string {
        throw new Error('tag');
      },
    });
    expect(run({ throwing })).toEqual({ throwing: '[Unreadable]' });
  });

  it('never reads a secret: its getter does not run', () => {
    let reads = 0;
    const value = {
      get password() {
        reads++;
        return 'hunter2';
      },
    };
    expect(run(value)).toEqual({ password: '[REDACTED]' });
    expect(reads).toBe(0);
  });

  it('does not mutate the input', () => {
    const error = Object.assign(new Error('x'), { code: 1 });
    const data = {
      list: [1, { a: undefined }],
      map: new Map([['k', { v: 1 }]]),
      set: new Set([1]),
      date: new Date(0),
      token: 'secret',
      long: 'y'.repeat(10_000),
    };
    const before = structuredClone(data);
    const input = { ...data, error };
    const descriptors = Object.getOwnPropertyDescriptors(error);
    new LogPayloadProcessor({ maxStringLength: 10, maxItems: 1 }).process(input);
    expect({ ...input, error: undefined }).toEqual({ ...before, error: undefined });
    expect(Object.getOwnPropertyDescriptors(error)).toEqual(descriptors);
    expect(Object.isFrozen(input)).toBe(false);
  });

  it('returns a fresh copy, not frozen (issue 14), that shares nothing with the input', () => {
    const input = { a: { b: [1, { c: new Map([['d', [2]]]) }] }, e: new Error('x') };
    const out = run(input) as any;
    expect(Object.isFrozen(out)).toBe(false);
    expect(Object.isFrozen(out.a.b)).toBe(false);
    expect(out.a).not.toBe(input.a);
    expect(out.a.b).not.toBe(input.a.b);
    expect(out.a.b[1]).not.toBe(input.a.b[1]);
    input.a.b.push(3);
    expect(out.a.b).toHaveLength(2);
  });

  it('is reentrant: a getter that logs through the same processor gets its own walk', () => {
    let inner: unknown;
    const value = {
      first: { x: 1 },
      get second() {
        inner = p.process({ nested: [1, 2] });
        return 'ok';
      },
      third: [3],
    };
    expect(run(value)).toEqual({ first: { x: 1 }, second: 'ok', third: [3] });
    expect(inner).toEqual({ nested: [1, 2] });
  });

  it('survives absurd depth and size without a stack overflow', () => {
    let deep: any = 'bottom';
    for (let i = 0; i < 100_000; i++) deep = { d: deep };
    expect(() => run(deep)).not.toThrow();
    const huge = new Array(1e9); // sparse: only the first maxItems are read
    expect((run(huge) as unknown[]).at(-1)).toBe('[+999999900 more items]');
  });
});
