import { describe, expect, it } from 'vitest';
import { LogContext } from '../../src/index.js';
import {
  diagnostics,
  fakeTransport,
  makeEvent,
  uniqueDb,
  until,
  useSinks,
} from './indexeddbHelpers.js';

const sink = useSinks();
const FAST_RETRY = { retryBaseMs: 1, retryMaxMs: 2 };

describe('IndexedDbSink: drain failures reach diagnostics, with counts', () => {
  it('a permanent rejection is reported once and counted rejected', async () => {
    const d = diagnostics();
    const t = fakeTransport(() => ({ ok: false, retry: false, status: 404 }));
    const s = sink({ database: uniqueDb('rejected'), drainTo: t, onDiagnostic: d.onDiagnostic });
    for (let i = 0; i < 5; i++) s.log(makeEvent(i));
    await until(() => expect(s.stats().dropped.rejected).toBe(5));
    s.log(makeEvent(5));
    await until(() => expect(s.stats().dropped.rejected).toBe(6));
    expect(d.kinds.filter((k) => k == 'drain-rejected')).toHaveLength(1);
  });

  it('failed uploads with an HTTP answer: reported once, every attempt counted', async () => {
    const d = diagnostics();
    const t = fakeTransport((_, call) =>
      call <= 3 ? { ok: false, retry: true, status: 503 } : { ok: true, retry: false },
    );
    const s = sink({
      database: uniqueDb('failed'),
      drainTo: t,
      onDiagnostic: d.onDiagnostic,
      ...FAST_RETRY,
    });
    s.log(makeEvent(1));
    await until(() => expect(s.stats().drained).toBe(1));
    expect(s.stats()).toMatchObject({ drainFailures: 3, drainOutages: 0 });
    expect(d.kinds.filter((k) => k == 'drain-upload-failed')).toHaveLength(1);
    expect(d.kinds).not.toContain('drain-outage');
  });

  it('an unreachable receiver is one outage until it answers again', async () => {
    const d = diagnostics();
    let down = true;
    const t = fakeTransport(() => (down ? { ok: false, retry: true } : { ok: true, retry: false }));
    const s = sink({
      database: uniqueDb('outage'),
      drainTo: t,
      onDiagnostic: d.onDiagnostic,
      ...FAST_RETRY,
    });
    s.log(makeEvent(1));
    await until(() => expect(s.stats().drainFailures).toBeGreaterThanOrEqual(3));
    expect(s.stats().drainOutages).toBe(1);
    down = false;
    await until(() => expect(s.stats().drained).toBe(1));
    down = true;
    s.log(makeEvent(2));
    await until(() => expect(s.stats().drainOutages).toBe(2));
    expect(d.kinds.filter((k) => k == 'drain-outage')).toHaveLength(1);
    down = false;
    await until(() => expect(s.stats().drained).toBe(2));
  });

  it('without its own onDiagnostic it reports through the context that uses it', async () => {
    const d = diagnostics();
    const t = fakeTransport(() => ({ ok: false, retry: false, status: 404 }));
    const s = sink({ database: uniqueDb('adopted'), drainTo: t, onDiagnostic: undefined });
    const log = new LogContext({
      namespace: 'app',
      sinks: { buffer: s },
      onDiagnostic: d.onDiagnostic,
    });
    log.info('rejected by the receiver');
    await until(() => expect(d.kinds).toContain('drain-rejected'));
  });

  it('its own onDiagnostic wins over the context', async () => {
    const own = diagnostics();
    const context = diagnostics();
    const t = fakeTransport(() => ({ ok: false, retry: false, status: 404 }));
    const s = sink({ database: uniqueDb('own'), drainTo: t, onDiagnostic: own.onDiagnostic });
    const log = new LogContext({
      namespace: 'app',
      sinks: { buffer: s },
      onDiagnostic: context.onDiagnostic,
    });
    log.info('rejected by the receiver');
    await until(() => expect(own.kinds).toContain('drain-rejected'));
    expect(context.kinds).not.toContain('drain-rejected');
  });
});
