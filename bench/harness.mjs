// The benchmark harness, shared by Node and Chromium (plain ESM, no imports).
//
// Method: every case is a loop compiled on its own (`new Function`, bench-only code) so that V8's
// type feedback of one case never pollutes another. A round runs the loop N times (N calibrated so a
// round takes ~minMs); the result is the median ns per call over `rounds` rounds, and each case is also
// given as a ratio to the baseline of the same run: an empty function called through a megamorphic
// call site (8 distinct empty functions in turn), i.e. a real call the engine cannot inline away.

const now = () => performance.now();

/** Builds a loop `(n) => { for (i < n) body }` with its own feedback. */
function compileLoop(body, names, values) {
  // new Function: benchmark code only, never shipped (the SDK itself has no eval; see architecture test).
  const factory = new Function(
    ...names,
    `return function loop(n) { for (let i = 0; i < n; i++) { ${body} } };`,
  );
  return factory(...values);
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** Median ns per iteration of `loop`. */
export function measure(loop, { minMs = 50, rounds = 9 } = {}) {
  // Calibrated twice: the first pass includes compiling the loop (and maybe a GC), which can make
  // a cheap loop look slow and leave rounds shorter than Chromium's coarse (~0.1 ms) timer, so the
  // second pass, on a warm loop, sets the size.
  let n = 256;
  for (let pass = 0; pass < 2; pass++) {
    for (;;) {
      const t0 = now();
      loop(n);
      const dt = now() - t0;
      if (dt >= minMs / 5) {
        n = Math.max(1, Math.ceil((n * minMs) / Math.max(dt, 0.01)));
        break;
      }
      n *= 4;
    }
  }
  loop(n); // warm at the final size
  const samples = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = now();
    loop(n);
    samples.push(((now() - t0) * 1e6) / n);
  }
  return { nsPerCall: median(samples), iterations: n, rounds };
}

/** The core hot-path cases, built against `lib` (the package's namespace). */
export function coreCases(lib) {
  const noopSink = { log() {} };
  const policy = new lib.LogEventPolicy()
    .setFilter('upload', '', 'info')
    .setFilter('console', '', 'warn')
    .setFilter('console', 'bench/hot', 'info');
  const ctx = new lib.LogContext({
    namespace: 'bench/hot/path',
    sinks: { upload: noopSink, console: { log() {} } },
    policy,
  });
  const payload = { user: { id: 42, name: 'ada' }, items: [1, 2, 3], ok: true };
  // 8 targets: more than V8 inlines at one polymorphic site (4), so every call is a real call.
  const fns = [
    function a() {},
    function b() {},
    function c() {},
    function d() {},
    function e() {},
    function f() {},
    function g() {},
    function h() {},
  ];
  const params = ['fns', 'ctx', 'msg', 'payload'];
  const values = [fns, ctx, 'cart updated', payload];
  return [
    {
      name: 'baseline: empty function call (not inlinable)',
      baseline: true,
      loop: compileLoop('fns[i & 7](msg, payload);', params, values),
    },
    {
      name: 'disabled call (filtered by level, hierarchical per-sink filters)',
      loop: compileLoop('ctx.debug(msg, payload);', params, values),
    },
    {
      name: 'disabled call, lazy payload',
      loop: compileLoop('ctx.trace(msg, () => payload);', params, values),
    },
    {
      name: 'enabled call, small nested object → no-op sink',
      loop: compileLoop('ctx.info(msg, payload);', params, values),
    },
  ];
}

/** Cases contributed by bench/cases/*.mjs: `{ name, make(lib) => (i) => void }`. */
export function moduleCases(lib, modules) {
  const out = [];
  for (const mod of modules) {
    for (const c of mod.cases ?? []) {
      if (c.browserOnly && typeof document === 'undefined') continue;
      try {
        const call = c.make(lib);
        out.push({
          name: c.name,
          loop: compileLoop('call(i);', ['call'], [call]),
          teardown: c.teardown,
        });
      } catch (error) {
        out.push({ name: c.name, error: String(error) });
      }
    }
  }
  return out;
}

/** Runs the core and module cases; returns rows with ns/call and ratio to the baseline. */
export function runSuite(lib, modules = [], options = {}) {
  const cases = [...coreCases(lib), ...moduleCases(lib, modules)];
  const rows = [];
  let baseline;
  for (const c of cases) {
    if (c.error) {
      rows.push({ name: c.name, error: c.error });
      continue;
    }
    const { nsPerCall } = measure(c.loop, options);
    if (c.baseline) baseline = nsPerCall;
    rows.push({ name: c.name, nsPerCall });
  }
  for (const r of rows) if (r.nsPerCall !== undefined) r.ratio = r.nsPerCall / baseline;
  return rows;
}

/** Runs the async scenarios (`browserScenarios`) of the case modules. */
export async function runScenarios(lib, modules) {
  const out = [];
  for (const mod of modules) {
    for (const s of mod.browserScenarios ?? []) {
      try {
        out.push({ name: s.name, result: await s.run(lib) });
      } catch (error) {
        out.push({ name: s.name, error: String(error) });
      }
    }
  }
  return out;
}
