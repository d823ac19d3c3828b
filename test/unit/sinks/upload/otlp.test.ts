import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { encodeOtlpLogs, LogConfigError, type LogEvent } from '../../../../src/index.js';
import { msToUnixNano } from '../../../../src/sinks/upload/otlp.js';
import { OTLP_SCOPE } from '../../../../src/sinks/upload/otlp.js';
import { makeEvent } from '../helpers.js';

// The official opentelemetry-proto definitions, as generated protobufjs types (see TOOLCHAIN.md).
const require = createRequire(import.meta.url);
const root = require('otlp-proto/build/src/generated/root.js');
const Req = root.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;

/** JSON → protobuf message → binary → decode → plain object (int64 as decimal strings). */
function roundTrip(json: unknown) {
  const bytes = Req.encode(Req.fromObject(json)).finish();
  return Req.toObject(Req.decode(bytes), { longs: String, defaults: false });
}

const everyType: LogEvent = makeEvent(1, {
  id: 'k3x9-0',
  level: 'warn',
  severity: 13,
  message: 'cart updated ✓',
  time: 1_700_000_000_123 + 0.4567,
  namespace: 'com.acme.shop/checkout',
  payload: {
    str: 'a',
    yes: true,
    no: false,
    int: 42,
    neg: -7,
    big: 9_007_199_254_740_991,
    dbl: 1.5,
    nul: null,
    arr: [1, 'two', [3.25], { k: 'v' }],
    obj: { deep: { deeper: 'x' }, n: 0 },
    empty: {},
  },
  context: { userId: 'u-1', str: 'context loses to payload', release: '1.4.2' },
});

describe('OTLP/HTTP JSON encoder', () => {
  it('round-trips through the official ExportLogsServiceRequest, field by field', () => {
    const observed = 1_700_000_001_000;
    const json = JSON.parse(
      encodeOtlpLogs([everyType, makeEvent(2, { level: 'fatal', severity: 21 })], {
        resource: { 'service.name': 'shop', 'service.version': '1.4.2', 'deployment.id': 7 },
        now: () => observed,
      }),
    );
    const back = roundTrip(json);
    const rl = back.resourceLogs[0];
    const attr = (list: { key: string; value: unknown }[]) =>
      Object.fromEntries(list.map((a) => [a.key, a.value]));
    expect(attr(rl.resource.attributes)).toEqual({
      'telemetry.sdk.name': { stringValue: 'mvx-logger' },
      'telemetry.sdk.language': { stringValue: 'webjs' },
      'telemetry.sdk.version': { stringValue: OTLP_SCOPE.version },
      'service.name': { stringValue: 'shop' },
      'service.version': { stringValue: '1.4.2' },
      'deployment.id': { intValue: '7' },
    });
    const sl = rl.scopeLogs[0];
    expect(sl.scope).toEqual({ name: 'mvx-logger', version: OTLP_SCOPE.version });
    const [rec, fatal] = sl.logRecords;
    // the double nearest 1700000000123.4567 is …123.456787109375 ms
    expect(rec.timeUnixNano).toBe('1700000000123456787');
    expect(rec.observedTimeUnixNano).toBe('1700000001000000000');
    expect(rec.severityNumber).toBe(13);
    expect(rec.severityText).toBe('WARN');
    expect(rec.body).toEqual({ stringValue: 'cart updated ✓' });
    expect(fatal).toMatchObject({ severityNumber: 21, severityText: 'FATAL' });
    const a = attr(rec.attributes);
    expect(rec.attributes.map((x: { key: string }) => x.key)).toEqual([
      'log.record.uid',
      'mvx.namespace',
      'str',
      'yes',
      'no',
      'int',
      'neg',
      'big',
      'dbl',
      'nul',
      'arr',
      'obj',
      'empty',
      'userId',
      'release',
    ]);
    expect(a['log.record.uid']).toEqual({ stringValue: 'k3x9-0' });
    expect(a['mvx.namespace']).toEqual({ stringValue: 'com.acme.shop/checkout' });
    expect(a.str).toEqual({ stringValue: 'a' }); // the payload wins over the context
    expect(a.yes).toEqual({ boolValue: true });
    expect(a.no).toEqual({ boolValue: false });
    expect(a.int).toEqual({ intValue: '42' });
    expect(a.neg).toEqual({ intValue: '-7' });
    expect(a.big).toEqual({ intValue: '9007199254740991' });
    expect(a.dbl).toEqual({ doubleValue: 1.5 });
    expect(a.nul).toEqual({});
    expect(a.arr).toEqual({
      arrayValue: {
        values: [
          { intValue: '1' },
          { stringValue: 'two' },
          { arrayValue: { values: [{ doubleValue: 3.25 }] } },
          { kvlistValue: { values: [{ key: 'k', value: { stringValue: 'v' } }] } },
        ],
      },
    });
    expect(a.obj).toEqual({
      kvlistValue: {
        values: [
          {
            key: 'deep',
            value: { kvlistValue: { values: [{ key: 'deeper', value: { stringValue: 'x' } }] } },
          },
          { key: 'n', value: { intValue: '0' } },
        ],
      },
    });
    expect(a.empty).toEqual({ kvlistValue: {} });
    expect(a.userId).toEqual({ stringValue: 'u-1' });
    // the decoded message says the same as what we sent (fromObject drops unknown fields silently)
    expect(JSON.parse(JSON.stringify(back))).toEqual(
      // protobuf has no empty repeated field: an empty kvlist decodes as {}
      JSON.parse(JSON.stringify(json), (_k, v) =>
        v && !Array.isArray(v) && Array.isArray(v.values) && !v.values.length ? {} : v,
      ),
    );
  });

  it('puts a non-object payload under mvx.payload and non-finite numbers as strings', () => {
    const json = JSON.parse(
      encodeOtlpLogs([makeEvent(1, { payload: [1, 2] }), makeEvent(2, { payload: NaN })]),
    );
    const [r1, r2] = roundTrip(json).resourceLogs[0].scopeLogs[0].logRecords;
    expect(r1.attributes[2]).toEqual({
      key: 'mvx.payload',
      value: { arrayValue: { values: [{ intValue: '1' }, { intValue: '2' }] } },
    });
    expect(r2.attributes[2]).toEqual({ key: 'mvx.payload', value: { stringValue: 'NaN' } });
  });

  it('lets the resource option set telemetry.sdk.* and keeps the others', () => {
    const json = JSON.parse(
      encodeOtlpLogs([makeEvent(1)], { resource: { 'telemetry.sdk.name': 'x' } }),
    );
    expect(json.resourceLogs[0].resource.attributes).toEqual([
      { key: 'telemetry.sdk.name', value: { stringValue: 'x' } },
      { key: 'telemetry.sdk.language', value: { stringValue: 'webjs' } },
      { key: 'telemetry.sdk.version', value: { stringValue: OTLP_SCOPE.version } },
    ]);
  });

  it('scope version follows package.json', () => {
    const pkg = JSON.parse(
      readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8'),
    );
    expect(OTLP_SCOPE.version).toBe(pkg.version);
  });
});

describe('msToUnixNano', () => {
  it.each([
    [0, '0'],
    [1, '1000000'],
    [1_700_000_000_000, '1700000000000000000'],
    [1_700_000_000_000.5, '1700000000000500000'],
    [0.000001, '1'],
    [12.9999999, '13000000'],
    [-5, '0'],
    [NaN, '0'],
    [Infinity, '0'],
  ])('%d ms → %s ns', (ms, ns) => {
    expect(msToUnixNano(ms)).toBe(ns);
  });

  it('is exact for every integer ms (no float multiplication)', () => {
    for (const ms of [1, 999, 1_699_999_999_999, 4_102_444_800_000]) {
      expect(BigInt(msToUnixNano(ms))).toBe(BigInt(ms) * 1_000_000n);
    }
  });
});

describe('encodeOtlpLogs options', () => {
  const fails = (options: unknown) => () =>
    encodeOtlpLogs([makeEvent(1)], options as Parameters<typeof encodeOtlpLogs>[1]);

  it('a misspelt option name is a LogConfigError with a suggestion (was sent without service.name)', () => {
    expect(fails({ resourc: { 'service.name': 'shop' } })).toThrow(LogConfigError);
    expect(fails({ resourc: {} })).toThrow(
      'encodeOtlpLogs: unknown option `resourc` (did you mean `resource`?)',
    );
  });

  it('null options, a resource that is not an object, a clock that is not a function: named errors', () => {
    expect(fails(null)).toThrow(LogConfigError);
    expect(fails({ resource: 'shop' })).toThrow(/`resource` must be an object/);
    expect(fails({ now: 5 })).toThrow(/`now` must be a function/);
  });
});
