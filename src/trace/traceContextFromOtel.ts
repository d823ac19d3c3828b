import { configFail } from '../core/check.js';
import type { LogTraceContext, LogTraceContextSource } from '../core/traceContext.js';

/**
 * The part of `@opentelemetry/api`'s `trace` object this helper uses (no dependency on it): the
 * active span, whose `spanContext()` has `traceId`, `spanId` and `traceFlags`.
 * @group Contexts
 */
export interface OtelTraceApiLike {
  getActiveSpan(): { spanContext(): LogTraceContext } | undefined;
}

// OpenTelemetry's INVALID_SPAN_CONTEXT (what a non-recording span without a parent carries).
const INVALID_TRACE_ID = '0'.repeat(32);

/**
 * A `traceContext` source that reads the active span of an OpenTelemetry `trace` API object, so
 * logs written inside a span carry its trace and span ids. The app passes its own
 * `@opentelemetry/api` `trace`; this SDK does not depend on it.
 *
 * @param traceApi - `trace` from `@opentelemetry/api`
 * @throws LogConfigError when `traceApi` has no `getActiveSpan()`
 * @example
 * import { trace } from '@opentelemetry/api';
 * const log = new LogContext({ sinks, traceContext: traceContextFromOtel(trace) });
 * @group Contexts
 */
export function traceContextFromOtel(traceApi: OtelTraceApiLike): LogTraceContextSource {
  if (typeof traceApi?.getActiveSpan != 'function')
    configFail('traceContextFromOtel', 'pass the `trace` object of @opentelemetry/api');
  return () => {
    const spanContext = traceApi.getActiveSpan()?.spanContext();
    // No active span, or OpenTelemetry's "invalid" one: no trace rather than a malformed one.
    return spanContext?.traceId === INVALID_TRACE_ID ? undefined : spanContext;
  };
}
