import { describe, expect, it } from 'vitest';
import { LogConfigError } from '../../../../src/index.js';
import {
  exportFilter,
  type IndexedDbExportOptions,
} from '../../../../src/sinks/indexeddb/export.js';

const fails = (options: unknown) => () => exportFilter(options as IndexedDbExportOptions);

describe('IndexedDbSink.export options', () => {
  it('a misspelt option name is a LogConfigError with a suggestion, not NDJSON', () => {
    expect(fails({ formt: 'array' })).toThrow(LogConfigError);
    expect(fails({ formt: 'array' })).toThrow(
      'IndexedDbSink.export: unknown option `formt` (did you mean `format`?)',
    );
  });

  it('null or an array as options is a LogConfigError, not a TypeError', () => {
    expect(fails(null)).toThrow(LogConfigError);
    expect(fails([])).toThrow(LogConfigError);
  });

  it('a misspelt level names the level it meant', () => {
    expect(fails({ level: 'eror' })).toThrow(/unknown `level` eror \(did you mean `error`\?\)/);
  });

  it('valid options still select and shape as before', () => {
    const filter = exportFilter({ format: 'array', level: 'warn', namespace: 'app', limit: 2 });
    expect(filter._asArray).toBe(true);
    expect(filter._limit).toBe(2);
    const event = { time: 5, severity: 13, namespace: 'app/cart' } as never;
    expect(filter._matches(event)).toBe(true);
    expect(exportFilter(undefined)._asArray).toBe(false);
  });
});
