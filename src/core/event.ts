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
  /** The trace the event belongs to (32 lowercase hex digits), when the context's `traceContext` gave one. */
  readonly traceId?: string;
  /** The span the event belongs to (16 lowercase hex digits), when known. */
  readonly spanId?: string;
  /** W3C trace flags (0-255) of that span, when known. */
  readonly traceFlags?: number;
}
