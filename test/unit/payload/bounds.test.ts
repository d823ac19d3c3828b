import { describe, expect, it } from 'vitest';
import { LogPayloadProcessor, type LogPayloadProcessorOptions } from '../../../src/index.js';

const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).length;
const make = (options: LogPayloadProcessorOptions) => new LogPayloadProcessor(options);

describe('LogPayloadProcessor: bounds', () => {
  it('has documented defaults: depth 10, 100 keys, 100 items, 4096 chars, 16384 bytes', () => {
    const p = new LogPayloadProcessor();
    let deep: any = 1;
    for (let i = 0; i < 12; i++) deep = { d: deep };
    let out: any = p.process(deep);
    for (let i = 0; i < 10; i++) out = out.d;
    expect(out).toBe('[Object]');
    const keys = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, i]));
    expect((p.process(keys) as any)['…']).toBe('[+1 more keys]');
    expect((p.process(Array.from({ length: 101 }, () => 0)) as unknown[])[100]).toBe(
      '[+1 more items]',
    );
    expect(p.process('a'.repeat(4097))).toBe(`${'a'.repeat(4096)}…[truncated 1 chars]`);
    const big = Array.from({ length: 50 }, () => 'b'.repeat(1000));
    expect(bytes(p.process(big))).toBeLessThanOrEqual(16384);
    expect(bytes(p.process(big))).toBeGreaterThan(16384 - 200);
  });

  it('replaces containers below maxDepth by their tag', () => {
    const value = { a: { b: [new Map([['m', 1]]), new Set([1]), { c: 1 }, new Error('deep')] } };
    expect(make({ maxDepth: 2 }).process(value)).toEqual({
      a: { b: '[Array]' },
    });
    expect(make({ maxDepth: 3 }).process(value)).toEqual({
      a: { b: ['[Map]', '[Set]', '[Object]', 'Error: deep'] },
    });
    expect(make({ maxDepth: 1 }).process([[1], 'kept'])).toEqual(['[Array]', 'kept']);
    // a Map or Set at the limit is not even read (here a key's toString would throw)
    const hostileKey = new Map([[{ toString: () => ({}) }, 1]]);
    expect(make({ maxDepth: 1 }).process([hostileKey])).toEqual(['[Map]']);
  });

  it('keeps maxKeys properties per object and Map, and says how many more there were', () => {
    const p = make({ maxKeys: 2 });
    expect(p.process({ a: 1, b: 2, c: 3, d: 4 })).toEqual({ a: 1, b: 2, '…': '[+2 more keys]' });
    const map = new Map(Array.from({ length: 10 }, (_, i) => [`k${i}`, i]));
    expect(p.process(map)).toEqual({ k0: 0, k1: 1, '…': '[+8 more keys]' });
  });

  it('keeps maxItems items per array and Set, and says how many more there were', () => {
    const p = make({ maxItems: 3 });
    expect(p.process([1, 2, 3, 4, 5])).toEqual([1, 2, 3, '[+2 more items]']);
    expect(p.process(new Set('abcdefg'))).toEqual(['a', 'b', 'c', '[+4 more items]']);
  });

  it('cuts strings at maxStringLength without splitting a surrogate pair', () => {
    const p = make({ maxStringLength: 5 });
    expect(p.process('abcdefgh')).toBe('abcde…[truncated 3 chars]');
    expect(p.process('abcdefgh'.slice(0, 5))).toBe('abcde');
    expect(p.process('abcd😀xyz')).toBe('abcd…[truncated 5 chars]'); // 😀 is 2 code units
    expect(p.process({ nested: ['0123456789'] })).toEqual({
      nested: ['01234…[truncated 5 chars]'],
    });
  });

  it('counts UTF-8 bytes, not characters, against maxBytes', () => {
    const p = make({ maxBytes: 100 });
    const ascii = p.process('a'.repeat(200)) as string;
    const accented = p.process('é'.repeat(200)) as string; // 2 bytes each
    const cjk = p.process('日'.repeat(200)) as string; // 3 bytes each
    const emoji = p.process('😀'.repeat(200)) as string; // 4 bytes per pair
    for (const out of [ascii, accented, cjk, emoji]) {
      expect(bytes(out)).toBeLessThanOrEqual(100);
      expect(bytes(out)).toBeGreaterThan(60);
      expect(out).toMatch(/…\[truncated \d+ chars\]$/);
    }
    expect(accented.length).toBeLessThan(ascii.length);
    expect(cjk.length).toBeLessThan(accented.length);
    expect(emoji).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/); // no lone high surrogate
  });

  it('counts JSON escapes: quotes, backslashes, control characters, lone surrogates', () => {
    const p = make({ maxBytes: 64 });
    for (const unit of ['"', '\\', '\n', '\u0001', '\ud800', '\u2028']) {
      const fitting = unit.repeat(5);
      // a lone surrogate is written as U+FFFD (3 bytes in UTF-8)
      expect(p.process(fitting)).toBe(unit === '\ud800' ? '\ufffd'.repeat(5) : fitting);
      const out = p.process(unit.repeat(100));
      expect(bytes(out)).toBeLessThanOrEqual(64);
    }
  });

  it('keeps exactly what fits: a value of maxBytes bytes is not cut', () => {
    const p = make({ maxBytes: 64 });
    expect(p.process('x'.repeat(62))).toBe('x'.repeat(62)); // 62 + 2 quotes
    expect(p.process('x'.repeat(63))).toMatch(/…\[truncated \d+ chars\]$/);
    const obj = { k: 'v'.repeat(56) }; // {"k":"…"} = 8 + 56
    expect(p.process(obj)).toEqual(obj);
  });

  it('stops a container that runs out of budget with a marker, at every level', () => {
    const p = make({ maxBytes: 300 });
    const value = {
      users: Array.from({ length: 40 }, (_, i) => ({ id: i, name: `user-${i}` })),
      after: 'end',
    };
    const out = p.process(value) as any;
    expect(bytes(out)).toBeLessThanOrEqual(300);
    expect(out.users.at(-1)).toMatch(/^\[\+\d+ more items\]$/);
    expect(out.users.length).toBeGreaterThan(5);
    expect(out.after === 'end' || out['…'] === '[+1 more keys]').toBe(true);
    // the deepest string is cut; `d`, the last member, may use the room kept for a marker
    const deep = { a: { b: { c: 'x'.repeat(100) } }, d: 1, e: 2 };
    const nested = make({ maxBytes: 150 }).process(deep);
    expect(nested).toEqual({
      a: { b: { c: expect.stringMatching(/^x+…\[truncated \d+ chars\]$/) } },
      '…': '[+2 more keys]',
    });
    const last = make({ maxBytes: 150 }).process({ a: deep.a, d: 1 });
    expect(last).toMatchObject({ d: 1 });
    expect(bytes(last)).toBeLessThanOrEqual(150);
  });

  it('cuts a key that alone exceeds the budget', () => {
    const key = 'k'.repeat(200);
    const out = make({ maxBytes: 100 }).process({ [key]: 1, small: 2 });
    expect(out).toEqual({ '…': '[+2 more keys]' });
  });

  it('bounds the work on shared references (a DAG that would explode when expanded)', () => {
    let node: unknown = 'leaf';
    for (let i = 0; i < 40; i++) node = [node, node]; // 2^40 paths
    const started = performance.now();
    const out = new LogPayloadProcessor().process(node);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(bytes(out)).toBeLessThanOrEqual(16384);
  });
});
