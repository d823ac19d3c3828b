import { describe, expect, it } from 'vitest';
import { checkedOptions, closestName } from '../../../src/core/check.js';
import { LogConfigError } from '../../../src/core/errors.js';

describe('checkedOptions', () => {
  const known = ['url', 'encoding', 'headers'] as const;

  it('returns the options when every key is known, and {} for undefined', () => {
    const options = { url: '/x', encoding: 'otlp' };
    expect(checkedOptions('UploadSink', options, known)).toBe(options);
    expect(checkedOptions('UploadSink', undefined, known)).toEqual({});
  });

  it('names an unknown key and the closest known one', () => {
    expect(() => checkedOptions('UploadSink', { url: '/x', encodng: 'otlp' }, known)).toThrow(
      new LogConfigError('UploadSink: unknown option `encodng` (did you mean `encoding`?)'),
    );
  });

  it('names an unknown key without a suggestion when nothing is close', () => {
    expect(() => checkedOptions('UploadSink', { zzzzzz: 1 }, known)).toThrow(
      'UploadSink: unknown option `zzzzzz`',
    );
    expect(() => checkedOptions('UploadSink', { zzzzzz: 1 }, known)).not.toThrow('did you mean');
  });

  it.each([null, 'url', 42])(
    'rejects a non-object options argument (%s) as LogConfigError',
    (bad) => {
      expect(() => checkedOptions('UploadSink', bad as never, known)).toThrow(LogConfigError);
    },
  );
});

describe('closestName', () => {
  it('finds typos by edit distance, case-insensitively', () => {
    expect(closestName('consol', ['console', 'upload'])).toBe('console');
    expect(closestName('maxByte', ['maxBytes', 'maxDepth'])).toBe('maxBytes');
    expect(closestName('NAMEPSACE', ['namespace'])).toBe('namespace');
    expect(closestName('q', ['console', 'upload'])).toBeUndefined();
  });
});
