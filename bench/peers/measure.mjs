// Timing, shared by Node and the page (plain ESM, no imports).

const now = () => performance.now();

/**
 * The 10th percentile of the samples. Rounds are short (under a ms, below a scheduler time slice)
 * and many, so on a shared machine some rounds run undisturbed: the slower ones measured the other
 * processes. (Across fresh processes/pages, bench/run.mjs then takes the median.)
 */
const fastRounds = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 10)];

/**
 * ns per call of `call(i)` over `rounds` rounds of ~`minMs` each (see {@link fastRounds}). The loop is compiled on
 * its own (`new Function`, bench-only code, never shipped) so that one case's type feedback does
 * not pollute another's.
 */
export function measureSync(call, { minMs = 0.5, rounds = 201, warmMs = 30 } = {}) {
  const loop = new Function(
    'call',
    'return function loop(n) { for (let i = 0; i < n; i++) call(i); };',
  )(call);
  let n = 64;
  // warm first (the optimizing compiler), then calibrate on optimized code
  for (const warmStart = now(); now() - warmStart < warmMs;) loop(n);
  for (let pass = 0; pass < 2; pass++) {
    for (;;) {
      const start = now();
      loop(n);
      const elapsed = now() - start;
      if (elapsed >= minMs / 5) {
        n = Math.max(1, Math.ceil((n * minMs) / Math.max(elapsed, 0.01)));
        break;
      }
      n *= 4;
    }
  }
  loop(n);
  const samples = [];
  for (let round = 0; round < rounds; round++) {
    const start = now();
    loop(n);
    samples.push(((now() - start) * 1e6) / n);
  }
  return fastRounds(samples);
}

/** ns per event of `await run(events)` (log `events` events, wait until delivered). */
export async function measureAsync(run, { events = 100, rounds = 61, warmup = 20 } = {}) {
  for (let round = 0; round < warmup; round++) await run(events);
  const samples = [];
  for (let round = 0; round < rounds; round++) {
    const start = now();
    await run(events);
    samples.push(((now() - start) * 1e6) / events);
  }
  return fastRounds(samples);
}
