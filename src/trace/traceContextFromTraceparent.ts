import { configFail } from '../core/check.js';
import {
  isSpanId,
  isTraceId,
  type LogTraceContext,
  type LogTraceContextSource,
} from '../core/traceContext.js';

// W3C Trace Context: version-traceid-parentid-flags, lowercase hex. Version ff is invalid; a
// future version may append fields after a `-`, version 00 may not.
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/**
 * Parses a W3C `traceparent` header value (`00-<32 hex trace id>-<16 hex span id>-<2 hex flags>`).
 * @returns the trace context, or `undefined` when `value` is not a valid traceparent
 * @group Contexts
 */
export function parseTraceparent(value: string): LogTraceContext | undefined {
  // e.g. `document.querySelector('meta[name=traceparent]')?.content` on a page without the tag
  if (typeof value != 'string') return undefined;
  const match = TRACEPARENT.exec(value.trim());
  if (!match) return undefined;
  const [, version, traceId, spanId, flags, rest] = match as unknown as string[];
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (!isTraceId(traceId) || !isSpanId(spanId)) return undefined;
  return { traceId, spanId, traceFlags: parseInt(flags!, 16) };
}

/**
 * A `traceContext` source from a W3C `traceparent`, e.g. the one a server rendered into
 * `<meta name="traceparent" content="00-…-…-01">`, so the page's logs join the server's trace.
 *
 * @param traceparentOrGetter - the traceparent string, or a function returning the current one
 *   (read per accepted event, parsed once per distinct value; empty or absent means no trace, a
 *   malformed one is reported once through diagnostics and ignored)
 * @throws LogConfigError when given a string that is not a valid traceparent, or neither a string
 *   nor a function
 * @example
 * const meta = document.querySelector('meta[name="traceparent"]');
 * const log = new LogContext({ sinks, traceContext: traceContextFromTraceparent(() => meta?.getAttribute('content')) });
 * @group Contexts
 */
export function traceContextFromTraceparent(
  traceparentOrGetter: string | (() => string | null | undefined),
): LogTraceContextSource {
  const owner = 'traceContextFromTraceparent';
  if (typeof traceparentOrGetter == 'string') {
    const parsed = parseTraceparent(traceparentOrGetter);
    if (!parsed) configFail(owner, `not a W3C traceparent: ${JSON.stringify(traceparentOrGetter)}`);
    return () => parsed;
  }
  if (typeof traceparentOrGetter != 'function')
    configFail(owner, 'pass a traceparent string or a function returning one');
  let lastValue: string | undefined;
  let lastParsed: LogTraceContext | undefined;
  return () => {
    const value = traceparentOrGetter();
    if (!value) return undefined;
    if (value !== lastValue) {
      const parsed = parseTraceparent(String(value));
      // Thrown, so the context reports it once (trace-context-threw) and logs without a trace.
      if (!parsed) throw new Error(`${owner}: not a W3C traceparent: ${JSON.stringify(value)}`);
      lastValue = value;
      lastParsed = parsed;
    }
    return lastParsed;
  };
}
