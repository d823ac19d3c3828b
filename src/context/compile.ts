import type { LogLevel } from '../core/level.js';

/**
 * A level method: a message, and a payload that may be a function evaluated only when accepted.
 * @group Contexts
 */
export type LogMethod = (message: string, payload?: unknown) => void;

/** The method of every level no sink can accept: the whole cost of a disabled call. */
export const NOOP: LogMethod = () => {};

/** What a context exposes to be compiled: its namespace, bound attributes and level methods. */
export type Compilable = Record<LogLevel, LogMethod> & {
  readonly namespace: string;
  readonly context: Readonly<Record<string, unknown>> | undefined;
};
