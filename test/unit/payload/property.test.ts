import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LogPayloadProcessor, type LogPayloadProcessorOptions } from '../../../src/index.js';

const utf8 = (text: string) => new TextEncoder().encode(text).length;

const deepFrozen = (value: unknown): boolean =>
  typeof value !== 'object' ||
  value === null ||
  (Object.isFrozen(value) && Object.values(value).every(deepFrozen));

const leaf = fc.oneof(
  fc.anything({
    maxDepth: 3,
    withBigInt: true,
    withBoxedValues: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
    withObjectString: true,
    withSparseArray: true,
    withTypedArray: true,
    withUnicodeString: true,
  }),
  fc.string().map((d) => Symbol(d)),
  fc.func(fc.integer()),
  fc.bigInt(),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, undefined, new Date(NaN)),
  // huge strings, in every width
  fc
    .tuple(
      fc.constantFrom('a', 'é', '日', '😀', '"', '\n', '\ud800'),
      fc.integer({ min: 0, max: 30_000 }),
    )
    .map(([unit, n]) => unit.repeat(n)),
);

const errorLike = fc
  .tuple(
    fc.string(),
    fc.array(fc.string(), { maxLength: 4 }),
    fc.dictionary(fc.string(), leaf, { maxKeys: 3 }),
  )
  .map(([message, causes, props]) => {
    let error: Error | undefined;
    for (const c of causes) error = new Error(c, error ? { cause: error } : undefined);
    return Object.assign(new TypeError(message, { cause: error }), props);
  });

const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    errorLike,
    fc.array(tie('tree'), { maxLength: 5 }),
    fc.dictionary(fc.string(), tie('tree'), { maxKeys: 5 }),
    fc.array(fc.tuple(fc.anything(), tie('tree')), { maxLength: 3 }).map((e) => new Map(e)),
    fc.array(tie('tree'), { maxLength: 3 }).map((items) => new Set(items)),
    fc.array(tie('tree'), { maxLength: 3 }).map((errors) => new AggregateError(errors, 'agg')),
  ),
}));

/** Links some containers back to an ancestor or to a sibling: cycles and shared references. */
const withLinks = (value: unknown, picks: number[]): unknown => {
  const containers: object[] = [];
  const collect = (v: unknown, depth: number) => {
    if (typeof v !== 'object' || v === null || depth > 6 || containers.includes(v)) return;
    if (Object.isFrozen(v) || ArrayBuffer.isView(v)) return;
    containers.push(v);
    if (
      Array.isArray(v) ||
      Object.getPrototypeOf(v) === null ||
      Object.getPrototypeOf(v) === Object.prototype
    )
      for (const k of Object.keys(v)) collect((v as any)[k], depth + 1);
  };
  collect(value, 0);
  picks.forEach((pick, i) => {
    const from = containers[pick % Math.max(containers.length, 1)];
    const to = containers[(pick * 7 + i) % Math.max(containers.length, 1)];
    if (from && to) (from as any)[`link${i}`] = to;
  });
  return value;
};

const deep = fc.integer({ min: 0, max: 300 }).map((n) => {
  let v: unknown = 'bottom';
  for (let i = 0; i < n; i++) v = i % 2 ? [v] : { v };
  return v;
});

const options: fc.Arbitrary<LogPayloadProcessorOptions> = fc.record(
  {
    maxDepth: fc.integer({ min: 1, max: 12 }),
    maxKeys: fc.integer({ min: 1, max: 50 }),
    maxItems: fc.integer({ min: 1, max: 50 }),
    maxStringLength: fc.integer({ min: 1, max: 5000 }),
    maxBytes: fc.integer({ min: 64, max: 20_000 }),
  },
  { requiredKeys: [] },
);

describe('LogPayloadProcessor: properties', () => {
  it('never throws; output is frozen JSON that round-trips and fits maxBytes in UTF-8', () => {
    fc.assert(
      fc.property(
        options,
        fc.oneof(
          tree,
          deep,
          fc.tuple(tree, fc.array(fc.nat(), { maxLength: 4 })).map(([v, p]) => withLinks(v, p)),
        ),
        (opts, value) => {
          const processor = new LogPayloadProcessor(opts);
          const out = processor.process(value);
          const json = JSON.stringify(out);
          expect(typeof json).toBe('string');
          expect(JSON.parse(json)).toEqual(out);
          expect(utf8(json)).toBeLessThanOrEqual(opts.maxBytes ?? 16384);
          expect(deepFrozen(out)).toBe(true);
          // deterministic: the same input gives the same output
          expect(processor.process(value)).toEqual(out);
        },
      ),
      { numRuns: 400 },
    );
  });
});
