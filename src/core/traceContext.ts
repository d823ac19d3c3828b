/**
 * The trace a log event belongs to, in W3C Trace Context / OpenTelemetry form, so logs can be
 * joined to traces.
 * @group Contexts
 */
export interface LogTraceContext {
  /** 32 lowercase hex digits, not all zeros. */
  readonly traceId: string;
  /** 16 lowercase hex digits, not all zeros. */
  readonly spanId: string;
  /** W3C trace flags, an integer from 0 to 255 (bit 0: sampled). */
  readonly traceFlags?: number;
}

/**
 * Where a context reads the current trace from, once per accepted event.
 * @group Contexts
 */
export type LogTraceContextSource = () => LogTraceContext | undefined;

// Lowercase hex of exactly that length, not all zeros (the W3C "invalid" id).
const TRACE_ID = /^(?!0+$)[\da-f]{32}$/;
const SPAN_ID = /^(?!0+$)[\da-f]{16}$/;

/** Whether `value` is a valid trace id: 32 lowercase hex digits, not all zeros. */
export function isTraceId(value: unknown): value is string {
  return typeof value == 'string' && TRACE_ID.test(value);
}

/** Whether `value` is a valid span id: 16 lowercase hex digits, not all zeros. */
export function isSpanId(value: unknown): value is string {
  return typeof value == 'string' && SPAN_ID.test(value);
}

/** Whether `value` is valid trace flags: an integer from 0 to 255. */
export function isTraceFlags(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 255;
}
