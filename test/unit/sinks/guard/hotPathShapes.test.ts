import { setFlagsFromString } from 'node:v8';
import { runInThisContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { fingersCrossed, stormGuard } from '../../../../src/index.js';
import { createHeldRing } from '../../../../src/sinks/guard/heldRing.js';
import { createPassThrough } from '../../../../src/sinks/guard/passThrough.js';
import { createRateLimiter } from '../../../../src/sinks/guard/rateLimiter.js';
import { createStormFilter } from '../../../../src/sinks/guard/stormFilter.js';
import { resolveStormOptions } from '../../../../src/sinks/guard/stormOptions.js';
import { createWindowedReporter } from '../../../../src/sinks/guard/windowedReport.js';

// V8 gives an object literal with a getter or setter dictionary ("slow") properties, and every
// method call through such an object is a generic lookup, not an inlined one: a held event cost
// 418 instead of 322 instructions (callgrind, Node 20) while the ring had two getters. The objects
// the guards call on every event must keep fast properties.
setFlagsFromString('--allow-natives-syntax');
const hasFastProperties = runInThisContext('(object) => %HasFastProperties(object)') as (
  object: object,
) => boolean;

describe('objects on the guards’ hot path', () => {
  it('have fast properties (no accessors in object literals)', () => {
    const sink = { log: () => {} };
    const objects: Record<string, object> = {
      heldRing: createHeldRing(10, 1000),
      globalPassThrough: createPassThrough(false, 1000),
      namespacePassThrough: createPassThrough(true, 1000),
      rateLimiter: createRateLimiter(1, 10),
      stormFilter: createStormFilter(resolveStormOptions('test', {})),
      reportGate: createWindowedReporter(() => {}, 1000)('kind'),
      fingersCrossed: fingersCrossed(sink),
      stormGuard: stormGuard(sink),
    };
    const slow = Object.keys(objects).filter((name) => !hasFastProperties(objects[name]!));
    expect(slow).toEqual([]);
  });

  it('the check itself tells a literal with a getter apart', () => {
    expect(hasFastProperties({ method: () => 1 })).toBe(true);
    expect(
      hasFastProperties({
        get value() {
          return 1;
        },
      }),
    ).toBe(false);
  });
});
