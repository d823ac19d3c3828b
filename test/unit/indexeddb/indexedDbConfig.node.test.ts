import { describe, expect, it } from 'vitest';
import { IndexedDbSink, LogConfigError, UploadSink } from '../../../src/index.js';

const transport = (extra: object = {}) => ({
  send: () => Promise.resolve({ ok: true, retry: false }),
  sendOnExit: () => 0,
  ...extra,
});
const quiet = { indexedDB: null, pageLifecycle: false as const, onDiagnostic: () => {} };

describe('IndexedDbSink options', () => {
  it('an unknown option name is a LogConfigError naming the closest valid one', () => {
    expect(() => new IndexedDbSink({ ...quiet, databse: 'x' } as never)).toThrow(LogConfigError);
    expect(() => new IndexedDbSink({ ...quiet, databse: 'x' } as never)).toThrow(
      /unknown option `databse` \(did you mean `database`\?\)/,
    );
    expect(() => new IndexedDbSink({ ...quiet, maxQueueByte: 1 } as never)).toThrow(
      /did you mean `maxQueueBytes`/,
    );
    expect(() => new IndexedDbSink(null as never)).toThrow(LogConfigError);
    expect(() => new IndexedDbSink('x' as never)).toThrow(LogConfigError);
  });

  it('every documented option name is accepted', async () => {
    const sink = new IndexedDbSink({
      ...quiet,
      onDiagnostic: () => {},
      database: 'all-options',
      drainTo: transport(),
      maxEvents: 10,
      maxBytes: 1000,
      maxAgeMs: 1000,
      drainBatchEvents: 5,
      drainBatchBytes: 500,
      drainPollMs: 100,
      openTimeoutMs: 100,
      transactionTimeoutMs: 100,
      maxSpillBytes: 0,
      locks: null,
      storage: null,
      broadcastChannel: null,
      maxBatchEvents: 5,
      maxBatchBytes: 500,
      flushIntervalMs: 10,
      maxQueueEvents: 10,
      maxQueueBytes: 1000,
      maxRetries: 1,
      retryBaseMs: 1,
      retryMaxMs: 2,
      now: Date.now,
      setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
      clearTimeout: (handle: unknown) => clearTimeout(handle as number),
      random: Math.random,
      stormProtection: false,
      pageLifecycle: false,
    });
    await sink.close();
  });

  it('the default database follows the drain destination; an explicit one wins', async () => {
    const upload = new UploadSink({
      url: 'https://collector.example/v1/logs',
      onDiagnostic: () => {},
    });
    const toUpload = new IndexedDbSink({ ...quiet, drainTo: upload });
    expect(toUpload.database).toBe('mvx-logger:https://collector.example/v1/logs');
    expect(toUpload.drainTo).toBe(upload);
    const other = new IndexedDbSink({ ...quiet, drainTo: transport({ url: '/b' }) });
    expect(other.database).toBe('mvx-logger:/b');
    const plain = new IndexedDbSink({ ...quiet, drainTo: transport() });
    expect(plain.database).toBe('mvx-logger');
    const standalone = new IndexedDbSink(quiet);
    expect(standalone.database).toBe('mvx-logger');
    expect(standalone.drainTo).toBeUndefined();
    const named = new IndexedDbSink({ ...quiet, database: 'mine', drainTo: upload });
    expect(named.database).toBe('mine');
    expect(IndexedDbSink.buildDescriptor({ drainTo: upload }).resourceKey).toEqual([
      'indexeddb',
      toUpload.database,
    ]);
    await Promise.all([toUpload, other, plain, standalone, named].map((s) => s.close()));
    await upload.close();
  });
});
