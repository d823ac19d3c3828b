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
  if (typeof options !== 'object' || options === null)
    configFail(owner, `options must be an object, got ${shown(options)}`);
  return options;
}
