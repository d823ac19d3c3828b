import { describe, expect, it } from 'vitest';
import { LogConfigError, LogPayloadProcessor } from '../../../src/index.js';

const run = (value: unknown, options = {}) => new LogPayloadProcessor(options).process(value);

describe('LogPayloadProcessor: well-formed Unicode (issue 12 item 5)', () => {
  it('replaces lone surrogates in string values by U+FFFD, and keeps pairs', () => {
    expect(run('x\ud800')).toBe('x\ufffd');
    expect(run('\udc00y')).toBe('\ufffdy');
    expect(run('\udc00\ud800')).toBe('\ufffd\ufffd'); // reversed: two lone ones
    expect(run('😀 é 日')).toBe('😀 é 日');
    expect(run({ list: ['a\ud83d', '\ude00b'] })).toEqual({ list: ['a\ufffd', '\ufffdb'] });
    expect(run(Object.assign(new Error('bad \ud800'), { stack: undefined }))).toMatchObject({
      message: 'bad \ufffd',
    });
  });

  it('replaces them in keys, Map keys included; of two keys that become one, keeps the first', () => {
    expect(run({ 'k\ud800': 1, ok: 2 })).toEqual({ 'k\ufffd': 1, ok: 2 });
    expect(run(new Map([['\udfff', 1]]))).toEqual({ '\ufffd': 1 });
    expect(run({ '\ud800': 1, '\ud801': 2, '\ufffd': 3, z: 4 })).toEqual({ '\ufffd': 1, z: 4 });
    expect(run({ '\ufffd': 'first', '\ud800': 'second' })).toEqual({ '\ufffd': 'first' });
  });

  it('never leaves a lone surrogate after a cut or a redaction that split a pair', () => {
    expect(run('ab😀', { maxStringLength: 3 })).toBe('ab…[truncated 2 chars]');
    // a pattern without the u flag can match half of a pair
    expect(run('x😀y', { redactValues: [/\ud83d/] })).toBe('x[REDACTED]\ufffdy');
  });

  it('counts U+FFFD as 3 bytes against maxBytes', () => {
    const out = run('\ud800'.repeat(20), { maxBytes: 64 }) as string;
    expect(out).toBe('\ufffd'.repeat(20)); // 62 bytes; escaped as \ud800 it would not fit
    expect(new TextEncoder().encode(JSON.stringify(out)).length).toBe(62);
  });

  it('rejects an unknown option with a did-you-mean hint', () => {
    expect(() => new LogPayloadProcessor({ maxByte: 100 } as never)).toThrow(LogConfigError);
    expect(() => new LogPayloadProcessor({ maxByte: 100 } as never)).toThrow(/maxBytes/);
  });
});
