import { describe, expect, it } from 'vitest';
import { ConsoleSink, LogContext, UploadSink } from '../../src/index.js';
import { until, uniqueDb, useSinks } from './indexeddbHelpers.js';

// "Logging never throws into your app", checked the way an app would break it: hostile values
// (a revoked Proxy, throwing getters and traps, cycles, BigInt, a 1 MB string, lone surrogates,
// DOM nodes, the window, a real Event) logged in every call shape, through every shipped sink at
// once in a real engine. Each call is delivered exactly once by each upload path, and nothing is
// reported: the values are normalized, never thrown. (The processor's own cases: test/unit/payload.)

const sid = (name: string) => `${name}-${Date.now()}-${Math.random().toString(36).slice(2)}`;

async function uniqueAtCollector(id: string): Promise<number> {
  const stats = await (await fetch(`/__collector/stats?sid=${id}`)).json();
  return (stats as { unique: number }).unique;
}

function hostileValues(): Record<string, unknown> {
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  const throwingTraps = new Proxy(
    {},
    {
      get() {
        throw new Error('get trap');
      },
      ownKeys() {
        throw new Error('ownKeys trap');
      },
      getPrototypeOf() {
        throw new Error('getPrototypeOf trap');
      },
    },
  );
  const cycle: Record<string, unknown> = { name: 'cycle' };
  cycle.self = cycle;
  const button = document.createElement('button');
  button.id = 'buy';
  const withCause = new Error('outer', { cause: cycle });
  return {
    revoked: revoked.proxy,
    throwingTraps,
    getter: Object.defineProperty({ ok: 1 }, 'boom', {
      enumerable: true,
      get() {
        throw new Error('getter');
      },
    }),
    toJSON: { toJSON: () => JSON.parse('{"a":') },
    cycle,
    bigint: 12345678901234567890n,
    huge: 'x'.repeat(1_000_000),
    lone: 'cut \uD83D here \uDC00',
    node: button,
    document,
    window,
    event: new MouseEvent('click'),
    withCause,
    symbol: Symbol('s'),
  };
}

describe('hostile values through every sink at once, in this engine', () => {
  const idbSink = useSinks();

  it('never throws, reports nothing, and every upload path delivers every call once', async () => {
    const [jsonId, otlpId, drainId] = [
      sid('hostile-json'),
      sid('hostile-otlp'),
      sid('hostile-idb'),
    ];
    const reports: string[] = [];
    const onDiagnostic = (d: { kind: string }) => void reports.push(d.kind);
    const printed: unknown[][] = [];
    const record = (...args: unknown[]) => void printed.push(args);
    const console = { trace: record, debug: record, info: record, warn: record, error: record };
    const log = new LogContext({
      namespace: 'browser/hostile',
      onDiagnostic,
      sinks: {
        pretty: new ConsoleSink({ console: console as never }),
        json: new ConsoleSink({ format: 'json', console: console as never }),
        upload: new UploadSink({ url: `/__collector/collect?sid=${jsonId}` }),
        otlp: new UploadSink({ url: `/__collector/v1/logs?sid=${otlpId}`, encoding: 'otlp' }),
        buffer: idbSink({
          database: uniqueDb('hostile'),
          drainTo: new UploadSink({ url: `/__collector/v1/logs?sid=${drainId}`, encoding: 'otlp' }),
        }),
      },
    });
    let calls = 0;
    for (const [name, value] of Object.entries(hostileValues())) {
      const shapes = [
        () => log.info(`as payload: ${name}`, { value }),
        () => log.warn(`as the whole payload: ${name}`, value),
        () => log.error(value as never), // the first argument (a forgiving call)
        () => log.error(value as never, { also: value }),
        () => log.debug(`lazy: ${name}`, () => ({ value })),
        () => log.child('bound', { value }).info(`bound: ${name} \uD800`),
      ];
      for (const shape of shapes) {
        expect(shape).not.toThrow();
        calls++;
      }
    }
    expect(printed).toHaveLength(2 * calls);
    expect(await log.flush(20_000)).toBe(true);
    await until(async () => {
      expect(await uniqueAtCollector(jsonId)).toBe(calls);
      expect(await uniqueAtCollector(otlpId)).toBe(calls);
      expect(await uniqueAtCollector(drainId)).toBe(calls);
    }, 20_000);
    expect(reports).toEqual([]);
    await log.close();
  });
});
