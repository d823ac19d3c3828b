// Measures every case one library has (plain ESM, shared by Node and the page).
import { CASES, setup } from './cases.mjs';
import { measureAsync, measureSync } from './measure.mjs';

/** ns per call (per event for async cases) of each case `library` has, by case id. */
export async function runLibrary(library, peers, options = {}) {
  const cases = await setup(library, peers);
  const results = {};
  for (const { id, async } of CASES) {
    const run = cases[id];
    if (!run) continue;
    try {
      results[id] = async ? await measureAsync(run, options.async) : measureSync(run, options.sync);
    } catch (error) {
      results[id] = { error: String(error?.stack ?? error) };
    }
  }
  return results;
}
