import { LogConfigError } from './errors.js';

// Configuration checks shared by every constructor: one wording everywhere ("Owner: `key` must be
// …, got …"), and one copy of the code in a bundle instead of one per option parser.

/**
 * Throws a {@link LogConfigError} that names the owner and says what to change.
 * @throws LogConfigError always
 */
export function configFail(owner: string, what: string): never {
  throw new LogConfigError(`${owner}: ${what}`);
}

/** Whether `value` is an object that is not an array (a record of named values). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value == 'object' && value !== null && !Array.isArray(value);
}

/** A short rendering of a bad value for messages (never throws). */
function shown(value: unknown): string {
  try {
    return typeof value === 'string' ? JSON.stringify(value) : String(value);
  } catch {
    return typeof value;
  }
}

/**
 * `options[key]` as an integer >= `min`, or `fallback` when undefined.
 * @throws LogConfigError when it is not
 */
export function intOption(
  owner: string,
  options: object,
  key: string,
  fallback: number,
  min = 1,
): number {
  const value = (options as Record<string, unknown>)[key] ?? fallback;
  if (!Number.isInteger(value) || (value as number) < min)
    configFail(owner, `\`${key}\` must be an integer >= ${min}, got ${shown(value)}`);
  return value as number;
}

/**
 * `options[key]` when it is a function, or `fallback` when undefined.
 * @throws LogConfigError when it is something else
 */
export function fnOption<F>(owner: string, options: object, key: string, fallback: F): F {
  const value = (options as Record<string, unknown>)[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'function')
    configFail(owner, `\`${key}\` must be a function, got ${shown(value)}`);
  return value as F;
}

/**
 * `options` itself when it is an object (undefined counts as `{}`).
 * @throws LogConfigError when it is not
 */
export function optionsObject<T extends object>(owner: string, options: T | undefined): T {
  if (options === undefined) return {} as T;
  if (!isRecord(options))
    configFail(
      owner,
      `options must be an object, got ${Array.isArray(options) ? 'an array' : shown(options)}`,
    );
  return options;
}

/** Edit distance between two short names (for "did you mean" hints), with one row of the table. */
function editDistance(from: string, to: string): number {
  const row = Array.from({ length: to.length + 1 }, (_, index) => index);
  for (let fromIndex = 1; fromIndex <= from.length; fromIndex++) {
    let diagonal = row[0]!; // the cell above-left, before this row overwrote it
    row[0] = fromIndex;
    for (let toIndex = 1; toIndex <= to.length; toIndex++) {
      const above = row[toIndex]!;
      row[toIndex] = Math.min(
        above + 1,
        row[toIndex - 1]! + 1,
        diagonal + (from[fromIndex - 1] === to[toIndex - 1] ? 0 : 1),
      );
      diagonal = above;
    }
  }
  return row[to.length]!;
}

/**
 * The candidate closest to `name` (case-insensitive edit distance, at most a third of its length
 * plus one), or undefined when none is close.
 */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.floor(name.length / 3) + 2;
  for (const candidate of candidates) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** ` (did you mean \`x\`?)` when a candidate is close to `name`, else ''. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const suggestion = closestName(name, candidates);
  return suggestion === undefined ? '' : ` (did you mean \`${suggestion}\`?)`;
}

/**
 * `options` as an object whose own keys are all in `knownKeys` (undefined counts as `{}`): the
 * TypeScript types already reject unknown keys; this catches script-tag and JavaScript users'
 * typos (`encodng`), which would otherwise be ignored silently.
 * @throws LogConfigError when `options` is not an object, or names a key not in `knownKeys`
 */
export function checkedOptions<T extends object>(
  owner: string,
  options: T | undefined,
  knownKeys: readonly string[],
): T {
  const checked = optionsObject(owner, options);
  for (const key of Object.keys(checked)) {
    if (!knownKeys.includes(key))
      configFail(owner, `unknown option \`${key}\`${didYouMean(key, knownKeys)}`);
  }
  return checked;
}
