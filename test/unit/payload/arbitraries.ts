// fast-check arbitraries of hostile payloads and processor options, shared by the property test
// and the differential test. Every value is deterministic to read (no getter counts its reads), so
// two normalizers given the same value see the same thing.
import fc from 'fast-check';
import type { LogPayloadProcessorOptions } from '../../../src/index.js';
import { hostileString } from './strings.js';

/** Keys: ordinary, secret-looking, surrogate-bearing, `__proto__`, numeric, very long. */
export const hostileKey = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom(
    'password',
    'apiKey',
    'X-Api-Key',
    'set-cookie',
    'pan',
    'span',
    'sessionId',
    'ssn',
    '__proto__',
    'constructor',
    'toJSON',
    '0',
    '10',
    '\ud800',
    '\udc00',
    '\ufffd',
    'a\ud800b',
    '😀',
  ),
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.integer({ min: 50, max: 20_000 }).map((n) => 'k'.repeat(n)),
);

/**
 * A hostile object not made yet: fast-check probes the values it generates (`in`, which a revoked
 * Proxy throws on), so hostile objects are made by {@link materialize} inside the property.
 */
class Hostile {
  constructor(readonly make: () => unknown) {}
}

/**
 * `value` with every {@link Hostile} in it replaced by a fresh hostile object, in place (so a value
 * fast-check shrinks from is materialized already: objects that fight back are left alone).
 */
function materialize(value: unknown, seen = new Set<unknown>()): unknown {
  if (value instanceof Hostile) return value.make();
  if (typeof value !== 'object' || value === null || seen.has(value)) return value;
  seen.add(value);
  try {
    if (value instanceof Map) {
      for (const [key, item] of value) value.set(key, materialize(item, seen));
    } else if (value instanceof Set) {
      const items = [...value];
      if (items.some((item) => item instanceof Hostile)) {
        value.clear();
        for (const item of items) value.add(materialize(item, seen));
      }
    } else if (Array.isArray(value) || value instanceof Error || isPlain(value)) {
      for (const key of Object.keys(value))
        (value as any)[key] = materialize((value as any)[key], seen);
      if (value instanceof Error && 'cause' in value)
        Object.defineProperty(value, 'cause', { value: materialize(value.cause, seen) });
    }
  } catch {
    // a hostile object made earlier: left as it is
  }
  return value;
}

const throwing = (what: string) => () => {
  throw new Error(what);
};

/** Objects that fight back: throwing getters and traps, Proxies, liars, DOM-ish and Event-ish. */
const exotic = fc.constantFrom<() => unknown>(
  () => ({
    ok: 1,
    get boom(): never {
      throw new Error('getter');
    },
  }),
  () => {
    const { proxy, revoke } = Proxy.revocable({ a: 1 }, {});
    revoke();
    return proxy;
  },
  () => new Proxy({ a: 1, b: [2] }, {}),
  () => new Proxy([1, 2], {}),
  () => new Proxy({ a: 1 }, { ownKeys: throwing('ownKeys') }),
  () => new Proxy({ a: 1 }, { get: throwing('get') }),
  () => new Proxy({ a: 1 }, { getPrototypeOf: throwing('proto') }),
  () => new Proxy({ a: 1, b: [2] }, { has: throwing('has') }),
  () => ({
    a: 1,
    get b() {
      return [2];
    },
    [Symbol('c')]: 3,
    d: undefined,
    e: 'x',
  }),
  () => ({ toJSON: throwing('toJSON') }),
  () => ({ toJSON: () => ({ replaced: true }) }),
  () => ({
    toJSON(this: unknown) {
      return this;
    },
  }),
  () => ({ toJSON: (key: string) => `key:${key}` }),
  () => new Map([[{ toString: () => ({}) }, 1]]),
  () =>
    Object.defineProperty(function f() {}, 'name', {
      get: throwing('name'),
    }),
  () => Object.create({ [Symbol.toStringTag]: 'Date' }),
  () => ({ [Symbol.toStringTag]: 'Date', a: 1 }),
  () =>
    Object.create({
      get [Symbol.toStringTag](): string {
        throw new Error('tag');
      },
    }),
  () => Object.assign(Object.create(null), { a: 1, password: 'x' }),
  () => JSON.parse('{"__proto__":{"polluted":true},"a":2}'),
  () => ({
    nodeType: 1,
    nodeName: 'BUTTON',
    id: 'buy',
    className: ' primary  big ',
    [Symbol.toStringTag]: 'HTMLButtonElement',
  }),
  () => ({ nodeType: 3, nodeName: '#text', [Symbol.toStringTag]: 'Text' }),
  () => ({
    type: 'click',
    target: { nodeType: 1, nodeName: 'A', id: '', className: {} },
    [Symbol.toStringTag]: 'MouseEvent',
  }),
  () => new Uint8Array([1, 2, 3]),
  () => new ArrayBuffer(16),
  () => new DataView(new ArrayBuffer(4)),
  () => new Date(0),
  () => new Date(NaN),
  () => /a+b/gi,
  () => Object('boxed'),
  () => Object(7),
  () => Object(false),
  () => Promise.resolve(1),
  () => new WeakMap(),
  // eslint-disable-next-line no-sparse-arrays -- a hole, which JSON writes as null
  () => [1, , 3],
  () => Object.assign([1, 2], { extra: 'ignored' }),
  () => {
    const list = [1, 2, 3];
    Object.defineProperty(list, 1, { get: throwing('index') });
    return list;
  },
  () => new AggregateError([new Error('a'), 'b'], 'many'),
  () => Object.assign(new Error('with code', { cause: 'just a string' }), { code: 'E1' }),
  () => new DOMException('gone', 'AbortError'),
);

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
  hostileString,
  fc.string().map((d) => Symbol(d)),
  fc.func(fc.integer()),
  fc.bigInt(),
  fc.double(),
  fc.integer(),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, undefined, null, 2 ** 60, 1e-7, 1e21),
  exotic.map((make) => new Hostile(make)),
);

const errorLike = fc
  .tuple(
    hostileString,
    fc.array(fc.string(), { maxLength: 4 }),
    fc.dictionary(hostileKey, leaf, { maxKeys: 3 }),
  )
  .map(([message, causes, props]) => {
    let error: Error | undefined;
    for (const c of causes) error = new Error(c, error ? { cause: error } : undefined);
    return Object.assign(new TypeError(message, { cause: error }), props);
  });

/** Any payload: leaves, errors, and nested arrays, objects, Maps, Sets and AggregateErrors. */
export const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    errorLike,
    fc.array(tie('tree'), { maxLength: 5 }),
    fc.dictionary(hostileKey, tie('tree'), { maxKeys: 5 }),
    fc.array(tie('tree'), { maxLength: 120 }).filter((items) => items.length > 3),
    fc.array(fc.tuple(fc.anything(), tie('tree')), { maxLength: 3 }).map((e) => new Map(e)),
    fc.array(tie('tree'), { maxLength: 3 }).map((items) => new Set(items)),
    fc.array(tie('tree'), { maxLength: 3 }).map((errors) => new AggregateError(errors, 'agg')),
  ),
}));

/** Links some containers back to an ancestor or to a sibling: cycles and shared references. */
export const withLinks = (value: unknown, picks: number[]): unknown => {
  const containers: object[] = [];
  const collect = (v: unknown, depth: number) => {
    if (typeof v !== 'object' || v === null || depth > 6 || containers.includes(v)) return;
    try {
      if (Object.isFrozen(v) || ArrayBuffer.isView(v) || !Object.isExtensible(v)) return;
      if (!Array.isArray(v) && !isPlain(v)) return;
      containers.push(v);
      for (const k of Object.keys(v)) collect((v as any)[k], depth + 1);
    } catch {
      // a hostile object: not linked
    }
  };
  collect(value, 0);
  picks.forEach((pick, i) => {
    const from = containers[pick % Math.max(containers.length, 1)];
    const to = containers[(pick * 7 + i) % Math.max(containers.length, 1)];
    if (from && to) (from as any)[`link${i}`] = to;
  });
  return value;
};

const isPlain = (v: object) => {
  try {
    const proto = Object.getPrototypeOf(v);
    return proto === null || proto === Object.prototype;
  } catch {
    return false;
  }
};

/** Nested arrays and objects, up to 300 levels. */
export const deep = fc.integer({ min: 0, max: 300 }).map((n) => {
  let v: unknown = 'bottom';
  for (let i = 0; i < n; i++) v = i % 2 ? [v] : { v };
  return v;
});

/**
 * Any payload, with cycles and shared references in some; a function that makes it, since
 * hostile objects are made only then (see {@link Hostile}).
 */
export const payload = fc
  .oneof(
    tree,
    deep,
    fc
      .tuple(tree, fc.array(fc.nat(), { maxLength: 4 }))
      .map(([value, picks]) => new Linked(value, picks)),
  )
  .map(
    (generated) => () =>
      generated instanceof Linked
        ? withLinks(materialize(generated.value), generated.picks)
        : materialize(generated),
  );

class Linked {
  constructor(
    readonly value: unknown,
    readonly picks: number[],
  ) {}
}

/** Processor options: every bound, and redaction. */
export const processorOptions: fc.Arbitrary<LogPayloadProcessorOptions> = fc.record(
  {
    maxDepth: fc.integer({ min: 1, max: 12 }),
    maxKeys: fc.integer({ min: 1, max: 50 }),
    maxItems: fc.integer({ min: 1, max: 50 }),
    maxStringLength: fc.integer({ min: 1, max: 5000 }),
    maxBytes: fc.oneof(fc.integer({ min: 64, max: 400 }), fc.integer({ min: 64, max: 20_000 })),
    redactDefaultKeys: fc.boolean(),
    redactKeys: fc.array(fc.oneof(fc.constantFrom('ssn', 'user-id', 'a'), fc.constant(/^k+$/)), {
      maxLength: 2,
    }),
    redactValues: fc.array(fc.constantFrom(/\d{4}/, /bearer \w+/i, /[\ud800-\udfff]/), {
      maxLength: 2,
    }),
  },
  { requiredKeys: [] },
);
