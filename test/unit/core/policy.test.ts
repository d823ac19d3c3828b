import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import {
  allow,
  deny,
  LOG_LEVELS,
  LOG_SEVERITY,
  LogConfigError,
  LogEventPolicy,
  minLevel,
  sample,
  type LogEventMeta,
  type LogLevel,
} from '../../../src/index.js';

const meta = (namespace: string, level: LogLevel = 'info'): LogEventMeta => ({
  namespace,
  level,
  severity: LOG_SEVERITY[level],
  message: 'm',
  time: 0,
});

describe('LogEventPolicy', () => {
  it('follows the decision record example', () => {
    const policy = new LogEventPolicy()
      .setFilter('console', '', 'warn')
      .setFilter('console', 'com.acme.shop/checkout', 'debug');
    expect(policy.accepts('console', meta('com.acme.shop/checkout/cart', 'debug'))).toBe(true);
    expect(policy.accepts('console', meta('com.acme.shop/search', 'debug'))).toBe(false);
    expect(policy.accepts('console', meta('com.acme.shop/search', 'warn'))).toBe(true);
    expect(policy.accepts('upload', meta('com.acme.shop/search', 'debug'))).toBe(true);
  });

  it('lets the closest filter decide alone, loosening or tightening', () => {
    const policy = new LogEventPolicy()
      .setFilter('s', '', 'debug')
      .setFilter('s', 'a', deny)
      .setFilter('s', 'a/b', allow());
    expect(policy.accepts('s', meta('x', 'debug'))).toBe(true);
    expect(policy.accepts('s', meta('a', 'fatal'))).toBe(false);
    expect(policy.accepts('s', meta('a/c', 'fatal'))).toBe(false);
    expect(policy.accepts('s', meta('a/b/c', 'trace'))).toBe(true);
  });

  it('treats dots as part of a segment, not a separator', () => {
    const policy = new LogEventPolicy().setFilter('s', 'com.acme', deny);
    expect(policy.accepts('s', meta('com.acme/x'))).toBe(false);
    expect(policy.accepts('s', meta('com.acmeshop'))).toBe(true);
    expect(policy.accepts('s', meta('com'))).toBe(true);
  });

  it('normalizes paths and applies changes to the next call', () => {
    const policy = new LogEventPolicy().setFilter('s', '/a//b/', deny);
    expect(policy.accepts('s', meta('a/b'))).toBe(false);
    policy.clearFilter('s', 'a/b');
    expect(policy.accepts('s', meta('a/b'))).toBe(true);
    policy.setFilter('s', 'a', 'error');
    expect(policy.accepts('s', meta('a/b', 'warn'))).toBe(false);
  });

  it('notifies listeners and bumps the version on change', () => {
    const policy = new LogEventPolicy();
    const listener = vi.fn();
    const off = policy.onChange(listener);
    policy.setFilter('s', '', 'info');
    policy.clearFilter('s', 'missing'); // no change, no notification
    expect(listener).toHaveBeenCalledTimes(1);
    expect(policy.version).toBe(1);
    off();
    policy.clearFilter('s', '');
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('rejects when a filter throws, without throwing', () => {
    const policy = new LogEventPolicy().setFilter('s', '', () => {
      throw new Error('bad filter');
    });
    expect(policy.accepts('s', meta('a'))).toBe(false);
  });

  it('fails fast on bad configuration with a named error', () => {
    const policy = new LogEventPolicy();
    expect(() => policy.setFilter('', '', 'info')).toThrow(LogConfigError);
    expect(() => policy.setFilter('s', 3 as never, 'info')).toThrow(/path/);
    expect(() => policy.setFilter('s', '', 'loud' as never)).toThrow(/level name/);
    expect(() => minLevel('nope' as never)).toThrow(LogConfigError);
    expect(() => sample(2)).toThrow(/rate/);
  });

  it('lists its filters with their levels', () => {
    const policy = new LogEventPolicy()
      .setFilter('c', '', 'warn')
      .setFilter('c', 'a', minLevel('debug'));
    expect(policy.entries().map(({ sink, path, level }) => ({ sink, path, level }))).toEqual([
      { sink: 'c', path: '', level: 'warn' },
      { sink: 'c', path: 'a', level: 'debug' },
    ]);
  });

  it('samples with the given source of randomness', () => {
    let r = 0;
    const half = sample(0.5, () => r);
    expect(half(meta('a'))).toBe(true);
    r = 0.7;
    expect(half(meta('a'))).toBe(false);
    expect(sample(1)).toBe(allow);
    expect(sample(0)).toBe(deny);
  });
});

// --- property test: the decision equals the closest filter's, cached or not, after random changes ---

const SEGMENTS = ['a', 'b', 'c.d', 'e'];
const pathArb = fc.array(fc.constantFrom(...SEGMENTS), { maxLength: 3 }).map((s) => s.join('/'));
const sinkArb = fc.constantFrom('s1', 's2', 's3');
type FilterSpec =
  | { kind: 'level'; level: LogLevel }
  | { kind: 'allow' }
  | { kind: 'deny' }
  | { kind: 'fn'; odd: boolean };
const filterArb: fc.Arbitrary<FilterSpec> = fc.oneof(
  fc.record({ kind: fc.constant('level' as const), level: fc.constantFrom(...LOG_LEVELS) }),
  fc.constant({ kind: 'allow' as const }),
  fc.constant({ kind: 'deny' as const }),
  fc.record({ kind: fc.constant('fn' as const), odd: fc.boolean() }),
);
type Op =
  | { op: 'set'; sink: string; path: string; filter: FilterSpec }
  | { op: 'clear'; sink: string; path: string };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('set' as const), sink: sinkArb, path: pathArb, filter: filterArb }),
  fc.record({ op: fc.constant('clear' as const), sink: sinkArb, path: pathArb }),
);

function toFilter(spec: FilterSpec) {
  switch (spec.kind) {
    case 'level':
      return spec.level;
    case 'allow':
      return allow;
    case 'deny':
      return deny;
    case 'fn':
      return (m: LogEventMeta) => (m.severity % 2 === 1) === spec.odd;
  }
}

function evalSpec(spec: FilterSpec, m: LogEventMeta): boolean {
  switch (spec.kind) {
    case 'level':
      return m.severity >= LOG_SEVERITY[spec.level];
    case 'allow':
      return true;
    case 'deny':
      return false;
    case 'fn':
      return (m.severity % 2 === 1) === spec.odd;
  }
}

/** The reference model: a plain map and a walk, no cache. */
function modelDecide(model: Map<string, FilterSpec>, sink: string, m: LogEventMeta): boolean {
  const segments = m.namespace ? m.namespace.split('/') : [];
  for (let n = segments.length; n >= 0; n--) {
    const spec = model.get(`${sink}|${segments.slice(0, n).join('/')}`);
    if (spec) return evalSpec(spec, m);
  }
  return true;
}

describe('LogEventPolicy (property)', () => {
  it('decides as the closest filter, with and without the cache, after random runtime changes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(opArb, { maxLength: 8 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.tuple(sinkArb, pathArb, fc.constantFrom(...LOG_LEVELS)), {
          minLength: 1,
          maxLength: 12,
        }),
        (rounds, queries) => {
          const policy = new LogEventPolicy();
          const model = new Map<string, FilterSpec>();
          for (const ops of rounds) {
            for (const op of ops) {
              if (op.op === 'set') {
                policy.setFilter(op.sink, op.path, toFilter(op.filter));
                model.set(`${op.sink}|${op.path}`, op.filter);
              } else {
                policy.clearFilter(op.sink, op.path);
                model.delete(`${op.sink}|${op.path}`);
              }
            }
            for (const [sink, ns, level] of queries) {
              const m = meta(ns, level);
              const expected = modelDecide(model, sink, m);
              expect(policy.accepts(sink, m)).toBe(expected); // fills the cache
              expect(policy.accepts(sink, m)).toBe(expected); // served from the cache
              const walked = policy.walk(sink, ns);
              expect(walked ? walked.filter(m) : true).toBe(expected); // uncached
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
