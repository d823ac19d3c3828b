import { describe, expect, it, vi } from 'vitest';
import {
  LogContext,
  LogEventPolicy,
  type LogDiagnostic,
  type LogTraceContext,
} from '../../../src/index.js';
import { MemorySink } from '../../fakes/memorySink.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';

function setup(traceContext: () => LogTraceContext | undefined) {
  const sink = new MemorySink();
  const diagnostics: LogDiagnostic[] = [];
  const policy = new LogEventPolicy().setFilter('memory', '', 'info');
  const log = new LogContext({
    sinks: { memory: sink },
    policy,
    traceContext,
    onDiagnostic: (d) => diagnostics.push(d),
  });
  return { sink, log, diagnostics, policy };
}

describe('traceContext', () => {
  it('puts traceId, spanId and traceFlags on accepted events', () => {
    const { sink, log } = setup(() => ({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1 }));
    log.info('in a span');
    expect(sink.events[0]).toMatchObject({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1 });
    expect(Object.isFrozen(sink.events[0])).toBe(true);
  });

  it('is called once per accepted event and never for a rejected one', () => {
    const source = vi.fn(() => ({ traceId: TRACE_ID, spanId: SPAN_ID }));
    const { sink, log, policy } = setup(source);
    log.debug('rejected by level');
    policy.setFilter('memory', 'quiet', () => false);
    log.child('quiet').warn('rejected by a filter');
    log.info('accepted');
    log.child('other').error('accepted');
    expect(source).toHaveBeenCalledTimes(2);
    expect(sink.events.map((e) => e.traceFlags)).toEqual([undefined, undefined]);
  });

  it('no trace: the fields are undefined; without the option nothing is called', () => {
    const { sink, log } = setup(() => undefined);
    log.info('outside a span');
    expect(sink.events[0].traceId).toBeUndefined();
    expect(sink.events[0].spanId).toBeUndefined();
  });

  it('a throw is reported once and the event goes out without a trace', () => {
    const { sink, log, diagnostics } = setup(() => {
      throw new Error('no context');
    });
    log.info('a');
    log.info('b');
    expect(sink.events.map((e) => [e.message, e.traceId])).toEqual([
      ['a', undefined],
      ['b', undefined],
    ]);
    expect(diagnostics.map((d) => d.kind)).toEqual(['trace-context-threw']);
  });

  it('malformed ids drop the trace, malformed flags only the flags, each reported once', () => {
    let next: LogTraceContext = { traceId: '', spanId: '' };
    const { sink, log, diagnostics } = setup(() => next);
    log.info('empty');
    next = { traceId: TRACE_ID.toUpperCase(), spanId: SPAN_ID };
    log.info('uppercase');
    next = { traceId: '0'.repeat(32), spanId: SPAN_ID };
    log.info('all zeros');
    next = { traceId: TRACE_ID, spanId: SPAN_ID.slice(1) };
    log.info('short span');
    next = { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 256 };
    log.info('bad flags');
    next = { traceId: TRACE_ID, spanId: '0'.repeat(16), traceFlags: 1 };
    log.info('zero span after a valid one');
    expect(sink.events.map((e) => [e.traceId, e.spanId, e.traceFlags])).toEqual([
      [undefined, undefined, undefined],
      [undefined, undefined, undefined],
      [undefined, undefined, undefined],
      [undefined, undefined, undefined],
      [TRACE_ID, SPAN_ID, undefined],
      [undefined, undefined, undefined],
    ]);
    expect(diagnostics.map((d) => d.kind)).toEqual([
      'trace-context-malformed',
      'trace-flags-malformed',
    ]);
  });

  it('a non-function traceContext is a LogConfigError', () => {
    expect(() => new LogContext({ sinks: new MemorySink(), traceContext: 'abc' as never })).toThrow(
      /`traceContext` must be a function/,
    );
  });
});
