import { describe, expect, it } from 'vitest';
import { IndexedDbSink, LogConfigError, type LogEvent } from '../../src/index.js';
import {
  diagnostics,
  dropDb,
  fakeTransport,
  makeEvent,
  rawCount,
  sentIds,
  uniqueDb,
  until,
  useSinks,
} from './indexeddbHelpers.js';

const sink = useSinks();

describe('IndexedDbSink: storing and draining (real IndexedDB)', () => {
  it('appends in batches and drains in log order', async () => {
    const database = uniqueDb('order');
    const t = fakeTransport();
    const s = sink({ database, drainTo: t, drainBatchEvents: 100 });
    const events = Array.from({ length: 1000 }, (_, i) => makeEvent(i));
    for (const e of events) s.log(e);
    await until(() => expect(sentIds(t)).toHaveLength(1000));
    expect(sentIds(t)).toEqual(events.map((e) => e.id));
    expect(t.batches.every((b) => b.length <= 100)).toBe(true);
    await until(async () => expect(await rawCount(database)).toBe(0));
    const st = s.stats();
    expect(st).toMatchObject({ tier: 'indexeddb', drained: 1000, delivered: 1000, drainer: true });
  });

  it('stores within tens of milliseconds of log()', async () => {
    const database = uniqueDb('latency');
    const s = sink({ database });
    s.log(makeEvent(1));
    const t0 = performance.now();
    await until(async () => expect(await rawCount(database)).toBe(1));
    // one flush interval (25 ms) plus a transaction; generous for a loaded 2-core CI machine
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('deletes only after the upload is acknowledged; a retry re-sends the same ids', async () => {
    const database = uniqueDb('ack');
    let release!: (o: { ok: boolean; retry: boolean }) => void;
    const answers: ({ ok: boolean; retry: boolean } | Promise<{ ok: boolean; retry: boolean }>)[] =
      [
        { ok: false, retry: true }, // first attempt: server error
        new Promise((r) => (release = r)), // second attempt: held open
      ];
    const t = fakeTransport((_, call) => answers[call - 1] ?? { ok: true, retry: false });
    const s = sink({ database, drainTo: t, retryBaseMs: 10, retryMaxMs: 20 });
    const events = Array.from({ length: 20 }, (_, i) => makeEvent(i));
    for (const e of events) s.log(e);
    await until(() => expect(t.batches.length).toBe(2));
    expect(await rawCount(database)).toBe(20); // sent twice, acknowledged never: still stored
    expect(t.batches[1].map((e) => e.id)).toEqual(t.batches[0].map((e) => e.id));
    release({ ok: true, retry: false });
    await until(async () => expect(await rawCount(database)).toBe(0));
    expect(s.stats().drained).toBe(20);
  });

  it('honours retryAfterMs before the next attempt', async () => {
    const database = uniqueDb('retry-after');
    const times: number[] = [];
    const t = fakeTransport((_, call) => {
      times.push(performance.now());
      return call === 1
        ? { ok: false, retry: true, retryAfterMs: 300 }
        : { ok: true, retry: false };
    });
    sink({ database, drainTo: t, retryBaseMs: 1, retryMaxMs: 2 }).log(makeEvent(1));
    await until(() => expect(times).toHaveLength(2));
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(290);
  });

  it('deletes a permanently rejected batch and counts it rejected', async () => {
    const database = uniqueDb('reject');
    const t = fakeTransport(() => ({ ok: false, retry: false, status: 400 }));
    const s = sink({ database, drainTo: t });
    for (let i = 0; i < 5; i++) s.log(makeEvent(i));
    await until(() => expect(s.stats().dropped.rejected).toBe(5));
    expect(await rawCount(database)).toBe(0);
    expect(s.stats().drained).toBe(0);
  });

  it('drains chunks written with larger batches in smaller uploads (partial chunk deletes)', async () => {
    const database = uniqueDb('partial');
    const writer = sink({ database, drainBatchEvents: 100 });
    const events = Array.from({ length: 250 }, (_, i) => makeEvent(i));
    for (const e of events) writer.log(e);
    await writer.close();
    const t = fakeTransport((_, call) =>
      call === 2 ? { ok: false, retry: true } : { ok: true, retry: false },
    );
    sink({ database, drainTo: t, drainBatchEvents: 30, retryBaseMs: 5, retryMaxMs: 10 });
    await until(async () => expect(await rawCount(database)).toBe(0));
    const delivered = [...new Set(sentIds(t))];
    expect(delivered).toEqual(events.map((e) => e.id));
    expect(t.batches.every((b) => b.length <= 30)).toBe(true);
    expect(t.batches[2].map((e) => e.id)).toEqual(t.batches[1].map((e) => e.id)); // the retry
  });

  it('replays what earlier pages stored', async () => {
    const database = uniqueDb('replay');
    const first = sink({ database });
    const events = Array.from({ length: 50 }, (_, i) => makeEvent(i));
    for (const e of events) first.log(e);
    await first.close();
    expect(await rawCount(database)).toBe(50);
    const t = fakeTransport();
    sink({ database, drainTo: t }); // logs nothing itself
    await until(() => expect(sentIds(t)).toEqual(events.map((e) => e.id)));
  });

  it('one drainer per database; the role passes on when the drainer closes', async () => {
    const database = uniqueDb('lock');
    const ta = fakeTransport();
    const tb = fakeTransport();
    const a = sink({ database, drainTo: ta });
    await until(() => expect(a.stats().drainer).toBe(true));
    const b = sink({ database, drainTo: tb });
    const first = Array.from({ length: 30 }, (_, i) => makeEvent(i));
    for (const e of first) b.log(e); // written by b, drained by a
    await until(() => expect(sentIds(ta)).toHaveLength(30));
    expect(b.stats().drainer).toBe(false);
    expect(tb.batches).toHaveLength(0);
    await a.close();
    await until(() => expect(b.stats().drainer).toBe(true));
    const second = Array.from({ length: 30 }, (_, i) => makeEvent(100 + i));
    for (const e of second) b.log(e);
    await until(() => expect(sentIds(tb)).toHaveLength(30));
    expect(new Set([...sentIds(ta), ...sentIds(tb)]).size).toBe(60);
  });
});

describe('IndexedDbSink: bounds', () => {
  it('evicts oldest first beyond maxEvents, counted evicted', async () => {
    const database = uniqueDb('max-events');
    const s = sink({ database, maxEvents: 100, maxBatchEvents: 40 });
    const events = Array.from({ length: 250 }, (_, i) => makeEvent(i));
    for (const e of events) s.log(e);
    const kept = await s.export({ format: 'array' });
    expect(kept.map((e) => e.id)).toEqual(events.slice(150).map((e) => e.id));
    expect(s.stats()).toMatchObject({ evicted: 150, storedEvents: 100 });
    expect(s.stats().dropped.evicted).toBe(150);
  });

  it('evicts oldest first beyond maxBytes', async () => {
    const database = uniqueDb('max-bytes');
    const big = (i: number) => makeEvent(i, { payload: { pad: 'x'.repeat(900) } }); // ~1 KB each
    const s = sink({ database, maxBytes: 10_000 });
    const events = Array.from({ length: 30 }, (_, i) => big(i));
    for (const e of events) s.log(e);
    const kept = await s.export({ format: 'array' });
    expect(kept.length).toBeGreaterThan(5);
    expect(kept.length).toBeLessThan(11);
    expect(kept.map((e) => e.id)).toEqual(events.slice(30 - kept.length).map((e) => e.id));
    expect(s.stats().storedBytes).toBeLessThanOrEqual(10_000);
    expect(s.stats().evicted).toBe(30 - kept.length);
  });

  it('drops events older than maxAgeMs on drain, counted expired', async () => {
    const database = uniqueDb('max-age');
    const now = Date.now();
    const old = Array.from({ length: 5 }, (_, i) => makeEvent(i, { time: now - 60_000 }));
    const fresh = Array.from({ length: 5 }, (_, i) => makeEvent(10 + i, { time: now }));
    const writer = sink({ database });
    for (const e of [...old, ...fresh]) writer.log(e);
    await writer.close();
    const t = fakeTransport();
    const s = sink({ database, drainTo: t, maxAgeMs: 30_000 });
    await until(() => expect(sentIds(t)).toEqual(fresh.map((e) => e.id)));
    expect(s.stats().dropped.expired).toBe(5);
  });

  it('drops expired events on append when nothing drains (standalone)', async () => {
    const database = uniqueDb('max-age-standalone');
    let clock = Date.now();
    const s = sink({ database, maxAgeMs: 1000, now: () => clock });
    const old = Array.from({ length: 4 }, (_, i) => makeEvent(i, { time: clock }));
    for (const e of old) s.log(e);
    await s.flush();
    clock += 5000;
    const fresh = makeEvent(9, { time: clock });
    s.log(fresh);
    const kept = await s.export({ format: 'array' });
    expect(kept.map((e) => e.id)).toEqual([fresh.id]);
    expect(s.stats().dropped.expired).toBe(4);
  });
});

describe('IndexedDbSink: export and clear', () => {
  it('exports NDJSON or an array, filtered by time, level, namespace and limit', async () => {
    const database = uniqueDb('export');
    const s = sink({ database });
    const t0 = Date.now();
    const events: LogEvent[] = [
      makeEvent(0, { time: t0 - 3000, level: 'debug', namespace: 'app' }),
      makeEvent(1, { time: t0 - 2000, level: 'warn', namespace: 'app/cart' }),
      makeEvent(2, { time: t0 - 1000, level: 'error', namespace: 'app/cart/items' }),
      makeEvent(3, { time: t0, level: 'info', namespace: 'app/cartography' }),
    ];
    for (const e of events) s.log(e);
    const ndjson = await s.export();
    expect(ndjson.endsWith('\n')).toBe(true);
    expect(
      ndjson
        .trimEnd()
        .split('\n')
        .map((l) => (JSON.parse(l) as LogEvent).id),
    ).toEqual(events.map((e) => e.id));
    const ids = async (o: Parameters<IndexedDbSink['export']>[0]) =>
      ((await s.export({ ...o, format: 'array' })) as LogEvent[]).map((e) => e.message);
    expect(await ids({ level: 'warn' })).toEqual(['event 1', 'event 2']);
    expect(await ids({ namespace: 'app/cart' })).toEqual(['event 1', 'event 2']);
    expect(await ids({ since: t0 - 2000, until: new Date(t0 - 1000) })).toEqual([
      'event 1',
      'event 2',
    ]);
    expect(await ids({ limit: 2 })).toEqual(['event 2', 'event 3']);
    expect(() => s.export({ level: 'loud' as never })).toThrow(LogConfigError);
    expect(() => s.export({ format: 'xml' as never })).toThrow(LogConfigError);
  });

  it('clear() empties the buffer', async () => {
    const database = uniqueDb('clear');
    const s = sink({ database });
    for (let i = 0; i < 10; i++) s.log(makeEvent(i));
    await s.clear();
    expect(await s.export({ format: 'array' })).toEqual([]);
    expect(await rawCount(database)).toBe(0);
    expect(s.stats().storedEvents).toBe(0);
  });

  it('exports more events than one read page', async () => {
    const database = uniqueDb('export-pages');
    const s = sink({ database });
    for (let i = 0; i < 1234; i++) s.log(makeEvent(i));
    expect(await s.export({ format: 'array' })).toHaveLength(1234);
  });
});

describe('IndexedDbSink: configuration', () => {
  it('throws LogConfigError on bad options', () => {
    expect(() => new IndexedDbSink({ maxEvents: 0 })).toThrow(LogConfigError);
    expect(() => new IndexedDbSink({ database: '' })).toThrow(LogConfigError);
    expect(() => new IndexedDbSink({ drainTo: {} as never })).toThrow(/drainTo/);
    expect(() => new IndexedDbSink({ indexedDB: {} as never })).toThrow(/indexedDB/);
  });

  it('keys the registry descriptor on the database name', () => {
    const t = fakeTransport();
    const a = IndexedDbSink.buildDescriptor({ database: 'x', drainTo: t });
    expect(a.resourceKey).toEqual(['indexeddb', 'x']);
    expect(IndexedDbSink.buildDescriptor({ database: 'x', drainTo: t })).toEqual(a);
    expect(IndexedDbSink.buildDescriptor({ database: 'x', drainTo: t, maxEvents: 5 })).not.toEqual(
      a,
    );
  });

  it('create() returns the sink and a terminator that closes it', async () => {
    const { kinds, onDiagnostic } = diagnostics();
    const database = uniqueDb('create');
    const [s, terminate] = IndexedDbSink.create({ database, onDiagnostic, pageLifecycle: false });
    s.log(makeEvent(1));
    await terminate();
    await terminate();
    expect(await rawCount(database)).toBe(1);
    s.log(makeEvent(2));
    expect(s.stats().dropped.closed).toBe(1);
    expect(kinds).toContain('log-after-close');
    await dropDb(database);
  });
});
