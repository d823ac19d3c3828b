import { configFail } from '../core/check.js';
import type { LogMethod } from '../context/compile.js';

/** What the capture helpers log through: any object with the level methods, e.g. a `LogContext`. */
export type CaptureTarget = Record<
  'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal',
  LogMethod
>;

/** @throws LogConfigError when `ctx` lacks the `level` method the helper `owner` logs with */
export function checkTarget(owner: string, ctx: unknown, level: string): void {
  if (typeof (ctx as Record<string, unknown> | null)?.[level] !== 'function')
    configFail(owner, `pass a LogContext (got no ${level}() method)`);
}

/** A thrown value's one-line summary: `Name: message` for errors, a safe string otherwise. */
export function describeThrown(value: unknown): string {
  try {
    return isErrorLike(value)
      ? value.message
        ? `${value.name}: ${value.message}`
        : value.name
      : String(value);
  } catch {
    // Hostile values (a Proxy whose traps throw, an object whose toString throws).
    return '[unprintable value]';
  }
}

/** Whether `value` looks like an Error, also one from another realm (iframe) or a DOMException. */
export function isErrorLike(value: any): value is Error {
  return (
    value instanceof Error ||
    (typeof value?.name === 'string' && typeof value.message === 'string' && 'stack' in value)
  );
}
