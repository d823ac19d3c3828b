import type { LogEventMeta } from './meta.js';

/**
 * The prepared, frozen event a sink receives: meta + unique id + normalized payload + bound context.
 * @group Types
 */
export interface LogEvent extends LogEventMeta {
  /** Unique across tabs, reloads and sessions; receivers de-duplicate by it. */
  readonly id: string;
  /** Normalized, JSON-safe payload; absent when nothing was logged with the message. */
  readonly payload?: unknown;
  /** Attributes bound to the context (and its parents); absent when there are none. */
  readonly context?: Readonly<Record<string, unknown>>;
}
