// Measures the cases of one library (plain ESM, shared by Node and the page).
import { CASES, setup } from './cases.mjs';
import { measureAsync, measureSync } from './measure.mjs';

/** The ids of the cases `library` has, in table order. */
export async function caseIds(library, peers) {
  const cases = await setup(library, peers);
  return CASES.map(({ id }) => id).filter((id) => cases[id]);
}

/**
 * ns per call (per event for async cases) of the cases `library` has, by case id; only `only`
 * when given. bench/run.mjs measures one case per fresh process / page: cases measured one after
 * another in one process share the library's code, and the type feedback and optimized code the
 * first ones leave behind change what the later ones cost (a disabled call measured after the
 * `{ err }` case took 4–6 ns instead of 0.4 ns, in either order of creation).
 */
export async function runLibrary(library, peers, options = {}, only) {
  const cases = await setup(library, peers);
  const results = {};
  for (const { id, async } of CASES) {
    const run = cases[id];
    if (!run || (only && id !== only)) continue;
    try {
      results[id] = async ? await measureAsync(run, options.async) : measureSync(run, options.sync);
    } catch (error) {
      results[id] = { error: String(error?.stack ?? error) };
    }
  }
  return results;
}
