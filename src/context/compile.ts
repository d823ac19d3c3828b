import type { LogLevel } from '../core/level.js';

/**
 * A level method: a message, and a payload that may be a function evaluated only when accepted.
 * Called with an object first (`log.info({ a: 1 })`, `log.error(err)`), that object is the
 * payload: an Error's `message` becomes the message, another object's message is `''`, and a
 * second argument is merged as further payload.
 * @group Contexts
 */
export interface LogMethod {
  (message: string, payload?: unknown): void;
  (payload: object, furtherPayload?: unknown): void;
}

/** The method of every level no sink can accept: the whole cost of a disabled call. */
export const NOOP: LogMethod = () => {};

/** What a context exposes to be compiled: its namespace, bound attributes and level methods. */
export type Compilable = Record<LogLevel, LogMethod> & {
  readonly namespace: string;
  readonly context: Readonly<Record<string, unknown>> | undefined;
};
