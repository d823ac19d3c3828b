import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeJsonBatch, encodeOtlpLogs, type LogEvent } from '../../../../src/index.js';
import { wellFormedJson } from '../../../../src/sinks/upload/wellFormed.js';
import { otlpProblems } from '../../../collectorDouble/otlpConformance.mjs';
import { makeEvent } from '../helpers.js';

// ES2024 string methods (Node 20 has them; the test tsconfig's lib is ES2022).
const isWellFormed = (text: string): boolean => (text as any).isWellFormed();
const toWellFormed = (text: string): string => (text as any).toWellFormed();

const LONE = 'cut\ud83d'; // the first half of 😀, as left by cutting user text
const PAIR = 'ok 😀';
const FIXED = 'cut\ufffd';

/** Every string (and key) in a parsed body. */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((item) => strings(item, out));
  else if (value && typeof value === 'object')
    for (const [key, item] of Object.entries(value)) {
      out.push(key);
      strings(item, out);
    }
  return out;
}

const hostile = makeEvent(1, {
  message: `${LONE} ${PAIR}`,
  namespace: `app/${LONE}`,
  level: 'info',
  payload: { [`key${LONE}`]: LONE, pair: PAIR, nested: [{ deep: `\udc00${LONE}` }] },
  context: { user: LONE },
});
const resource = { 'service.name': LONE, [`r${LONE}`]: 1 };

describe('well-formed Unicode in every body', () => {
  it.each([
    ['json', () => encodeJsonBatch([hostile], resource)],
    ['otlp', () => encodeOtlpLogs([hostile], { resource })],
  ])(
    '%s: lone surrogates in messages, namespaces, keys, values, context and resource → U+FFFD, pairs kept',
    (_name, encode) => {
      const body = encode();
      const all = strings(JSON.parse(body));
      expect(all.every(isWellFormed)).toBe(true);
      expect(all).toContain(`${FIXED} ${PAIR}`); // the message: the pair survives
      expect(all).toContain(`app/${FIXED}`);
      expect(all).toContain(`key${FIXED}`);
      expect(all).toContain(`\ufffd${FIXED}`);
      expect(all).toContain(`r${FIXED}`);
      expect(body).not.toMatch(/\\ud[89a-f]/);
    },
  );

  it('leaves a literal backslash followed by "ud800" alone', () => {
    const text = JSON.stringify({ a: '\\ud800', b: '\\\ud800', c: '\ud800\ud800x' });
    expect(JSON.parse(wellFormedJson(text))).toEqual({
      a: '\\ud800',
      b: '\\\ufffd',
      c: '\ufffd\ufffdx',
    });
  });

  it('agrees with String.prototype.toWellFormed for any string', { timeout: 30_000 }, () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        expect(JSON.parse(wellFormedJson(JSON.stringify(text)))).toBe(toWellFormed(text));
      }),
      { numRuns: 300 },
    );
  });
});

describe('numbers every OTLP receiver accepts', () => {
  it('writes integral doubles beyond 2^53 with an exponent, BigInt as its decimal string', () => {
    const event = makeEvent(1, {
      payload: {
        big: 1152921504606847000,
        neg: -(2 ** 60),
        huge: 1e300,
        small: 1.5,
        bigint: 10n ** 20n,
      },
    });
    const body = encodeOtlpLogs([event], { resource: { 'big.resource': 2 ** 60 } });
    expect(body).not.toMatch(/[0-9]{17}[,}\]]/); // no bare 17+ digit integer anywhere
    expect(body).toContain('"doubleValue":1.152921504606847e+18');
    expect(body).toContain('"doubleValue":-1.152921504606847e+18');
    expect(body).toContain('"doubleValue":1e+300');
    expect(body).toContain('"stringValue":"100000000000000000000"');
    const attributes = JSON.parse(body).resourceLogs[0].scopeLogs[0].logRecords[0].attributes;
    const big = attributes.find((a: { key: string }) => a.key === 'big');
    expect(big.value.doubleValue).toBe(1152921504606847000); // reads back as the same double
    expect(otlpProblems(body)).toEqual([]);
    expect(JSON.parse(encodeJsonBatch([event])).events[0].payload.bigint).toBe(
      '100000000000000000000',
    );
  });
});

describe('trace context', () => {
  const traced = makeEvent(1, {
    traceId: '4BF92F3577B34DA6A3CE929D0E0E4736',
    spanId: '00f067aa0ba902b7',
    traceFlags: 1,
  } as Partial<LogEvent>);

  it('OTLP writes traceId, spanId (lowercase hex) and flags', () => {
    const body = encodeOtlpLogs([traced]);
    const record = JSON.parse(body).resourceLogs[0].scopeLogs[0].logRecords[0];
    expect(record).toMatchObject({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      flags: 1,
    });
    expect(otlpProblems(body)).toEqual([]);
  });

  it('OTLP leaves out malformed ids and flags instead of sending a request the receiver rejects', () => {
    const broken = makeEvent(1, {
      traceId: 'abc',
      spanId: 42,
      traceFlags: 300,
    } as unknown as Partial<LogEvent>);
    const body = encodeOtlpLogs([broken]);
    const record = JSON.parse(body).resourceLogs[0].scopeLogs[0].logRecords[0];
    expect(record).not.toHaveProperty('traceId');
    expect(record).not.toHaveProperty('spanId');
    expect(record).not.toHaveProperty('flags');
    expect(otlpProblems(body)).toEqual([]);
  });

  it('OTLP leaves out all-zero ids (invalid in W3C Trace Context) and keeps valid flags', () => {
    const zero = makeEvent(1, {
      traceId: '0'.repeat(32),
      spanId: '0'.repeat(16),
      traceFlags: 0,
    } as Partial<LogEvent>);
    const record = JSON.parse(encodeOtlpLogs([zero])).resourceLogs[0].scopeLogs[0].logRecords[0];
    expect(record).not.toHaveProperty('traceId');
    expect(record).not.toHaveProperty('spanId');
    expect(record.flags).toBe(0);
  });

  it('JSON includes them as the event carries them', () => {
    expect(JSON.parse(encodeJsonBatch([traced])).events[0]).toMatchObject({
      traceId: '4BF92F3577B34DA6A3CE929D0E0E4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: 1,
    });
  });

  it('a hand-made event that cannot be encoded keeps its trace context', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const event = { ...traced, payload: cyclic } as LogEvent;
    expect(JSON.parse(encodeJsonBatch([event])).events[0]).toMatchObject({
      spanId: '00f067aa0ba902b7',
      payload: '[Unserializable]',
    });
  });
});

describe('strict OTLP conformance of generated events', () => {
  const value = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.string({ unit: 'binary', maxLength: 12 }),
      fc.double(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.bigInt(),
      fc.array(tie('value'), { maxLength: 3 }),
      fc.dictionary(fc.string({ unit: 'binary', maxLength: 6 }), tie('value'), { maxKeys: 3 }),
    ),
  })).value;

  it('every body conforms to the official proto, whatever the payload', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string({ unit: 'binary', maxLength: 12 }), value), { maxLength: 4 }),
        fc.string({ unit: 'binary', maxLength: 12 }),
        (payloads, message) => {
          const events = payloads.map(([namespace, payload], index) =>
            makeEvent(index, { namespace, message, payload, context: { c: message } }),
          );
          expect(otlpProblems(encodeOtlpLogs(events, { resource: { message } }))).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
  });
});
