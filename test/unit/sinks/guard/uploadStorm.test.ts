import { describe, expect, it } from 'vitest';
import { LogConfigError, LogContext, UploadSink } from '../../../../src/index.js';
import { createFakeClock } from '../../../fakes/fakeClock.js';
import { setupUpload } from '../upload/setup.js';

/** 100,000 identical errors over one second of the context's clock. */
function errorStorm(sink: UploadSink) {
  const clock = createFakeClock();
  const log = new LogContext({ namespace: 'game', sinks: { upload: sink }, now: clock.now });
  for (let i = 0; i < 100_000; i++) {
    if (i % 100 === 0) clock.advance(1);
    log.error('frame failed', { frame: i });
  }
}

describe('UploadSink stormProtection', () => {
  it('is on by default: a storm of 100,000 identical errors in 1 s is cut to 3,000 + 50, the rest counted', async () => {
    const upload = setupUpload({ maxQueueEvents: 10_000, maxQueueBytes: 64 * 1024 * 1024 });
    errorStorm(upload.sink);
    const stats = upload.sink.stats();
    expect(stats.accepted).toBeLessThanOrEqual(3050);
    expect(stats.accepted).toBeGreaterThanOrEqual(3049);
    expect(stats.dropped['rate-limited']).toBe(100_000 - stats.accepted);
    expect(stats.dropped['duplicate-suppressed']).toBe(0);
    expect(stats.dropped.overflow).toBe(0);
    expect(upload.diag.kinds().filter((k) => k === 'rate-limited')).toEqual(['rate-limited']);
    await upload.flushAll();
    const sent = upload.fetch.calls.flatMap((c) => JSON.parse(c.text).events);
    expect(sent).toHaveLength(stats.accepted);
  });

  it('a configured rate: the storm reaches the transport as burst + rate × 1 s, the rest counted and reported once', async () => {
    const upload = setupUpload({ stormProtection: { rateLimit: 600, rateBurst: 100 } });
    errorStorm(upload.sink);
    const stats = upload.sink.stats();
    // burst 100, then 600 per minute: 10 more in the storm's second
    expect(stats.accepted).toBeLessThanOrEqual(110);
    expect(stats.accepted).toBeGreaterThanOrEqual(109);
    expect(stats.dropped['rate-limited']).toBe(100_000 - stats.accepted);
    expect(upload.diag.kinds().filter((k) => k === 'rate-limited')).toEqual(['rate-limited']);
    await upload.flushAll();
    const sent = upload.fetch.calls.flatMap((c) => JSON.parse(c.text).events);
    expect(sent).toHaveLength(stats.accepted);
  });

  it('options: a lower rate, and duplicate suppression with repeated on the next event', () => {
    const upload = setupUpload({
      stormProtection: { rateLimit: 60, rateBurst: 10, suppressDuplicates: true },
    });
    errorStorm(upload.sink);
    expect(upload.sink.stats()).toMatchObject({
      accepted: 1,
      dropped: { 'duplicate-suppressed': 99_999, 'rate-limited': 0 },
    });
  });

  it('false turns it off (the queue bound still holds)', () => {
    const upload = setupUpload({ stormProtection: false });
    errorStorm(upload.sink);
    const stats = upload.sink.stats();
    expect(stats.accepted).toBe(100_000);
    expect(stats.dropped['rate-limited']).toBe(0);
    expect(stats.dropped.overflow).toBeGreaterThan(0);
  });

  it('validates the option', () => {
    const url = 'https://logs.example.com/collect';
    expect(() => new UploadSink({ url, stormProtection: { rateLimt: 5 } as never })).toThrow(
      /UploadSink\.stormProtection: unknown option `rateLimt` \(did you mean `rateLimit`\?\)/,
    );
    expect(() => new UploadSink({ url, stormProtection: 'on' as never })).toThrow(LogConfigError);
    expect(() => new UploadSink({ url, stormProtection: { rateBurst: 0 } })).toThrow(
      LogConfigError,
    );
  });

  it('registry identity includes it', () => {
    const url = 'https://logs.example.com/collect';
    const on = UploadSink.buildDescriptor({ url });
    const off = UploadSink.buildDescriptor({ url, stormProtection: false });
    expect(on.configKey).not.toEqual(off.configKey);
    expect(UploadSink.buildDescriptor({ url, stormProtection: true }).configKey).toEqual(
      on.configKey,
    );
  });
});
