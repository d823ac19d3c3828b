import { describe, expect, it } from 'vitest';
import {
  LogConfigError,
  LogContext,
  parseTraceparent,
  traceContextFromOtel,
  traceContextFromTraceparent,
  type LogDiagnostic,
  type OtelTraceApiLike,
} from '../../../src/index.js';
import { MemorySink } from '../../fakes/memorySink.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE_ID}-${SPAN_ID}-01`;

describe('parseTraceparent', () => {
  it('parses a W3C traceparent', () => {
    expect(parseTraceparent(TRACEPARENT)).toEqual({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      traceFlags: 1,
    });
    expect(parseTraceparent(` 00-${TRACE_ID}-${SPAN_ID}-00 `)?.traceFlags).toBe(0);
    // a future version may carry more fields
    expect(parseTraceparent(`01-${TRACE_ID}-${SPAN_ID}-03-extra`)?.traceFlags).toBe(3);
  });

  it('rejects malformed values', () => {
    for (const bad of [
      '',
      `00-${TRACE_ID}-${SPAN_ID}`,
      `00-${TRACE_ID.toUpperCase()}-${SPAN_ID}-01`,
      `00-${'0'.repeat(32)}-${SPAN_ID}-01`,
      `00-${TRACE_ID}-${'0'.repeat(16)}-01`,
      `ff-${TRACE_ID}-${SPAN_ID}-01`,
      `00-${TRACE_ID}-${SPAN_ID}-01-extra`,
      `00-${TRACE_ID}-${SPAN_ID}-1`,
    ])
      expect(parseTraceparent(bad)).toBeUndefined();
  });
});

describe('traceContextFromTraceparent', () => {
  it('a string gives a fixed trace for every event', () => {
    const sink = new MemorySink();
    const log = new LogContext({
      sinks: sink,
      traceContext: traceContextFromTraceparent(TRACEPARENT),
    });
    log.info('a');
    expect(sink.events[0]).toMatchObject({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1 });
  });

  it('a malformed string or a wrong argument is a LogConfigError', () => {
    expect(() => traceContextFromTraceparent('00-abc')).toThrow(LogConfigError);
    expect(() => traceContextFromTraceparent(42 as never)).toThrow(LogConfigError);
  });

  it('a getter is read per event: empty means no trace, malformed is reported once', () => {
    let current: string | null = null;
    const sink = new MemorySink();
    const diagnostics: LogDiagnostic[] = [];
    const log = new LogContext({
      sinks: sink,
      traceContext: traceContextFromTraceparent(() => current),
      onDiagnostic: (d) => diagnostics.push(d),
    });
    log.info('none');
    current = TRACEPARENT;
    log.info('traced');
    current = 'garbage';
    log.info('malformed');
    log.info('malformed again');
    expect(sink.events.map((e) => e.spanId)).toEqual([undefined, SPAN_ID, undefined, undefined]);
    expect(diagnostics).toHaveLength(1);
    expect(String((diagnostics[0].error as Error).message)).toMatch(/not a W3C traceparent/);
  });
});

describe('traceContextFromOtel', () => {
  /** A stand-in for `@opentelemetry/api`'s `trace` with one settable active span. */
  function fakeTraceApi() {
    const api = {
      active: undefined as { traceId: string; spanId: string; traceFlags: number } | undefined,
      getActiveSpan: () => (api.active ? { spanContext: () => api.active! } : undefined),
    };
    return api;
  }

  it('reads the active span of the given trace API', () => {
    const api = fakeTraceApi();
    const sink = new MemorySink();
    const log = new LogContext({ sinks: sink, traceContext: traceContextFromOtel(api) });
    log.info('outside');
    api.active = { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1 };
    log.info('inside');
    api.active = { traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 0 }; // INVALID_SPAN_CONTEXT
    log.info('invalid span');
    expect(sink.events.map((e) => [e.traceId, e.spanId, e.traceFlags])).toEqual([
      [undefined, undefined, undefined],
      [TRACE_ID, SPAN_ID, 1],
      [undefined, undefined, undefined],
    ]);
  });

  it('something that is not a trace API is a LogConfigError', () => {
    expect(() => traceContextFromOtel({} as OtelTraceApiLike)).toThrow(LogConfigError);
    expect(() => traceContextFromOtel(undefined as never)).toThrow(LogConfigError);
  });
});
