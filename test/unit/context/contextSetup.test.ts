import { describe, expect, it, vi } from 'vitest';
import {
  LogConfigError,
  LogContext,
  LogEventPolicy,
  type LogDiagnostic,
  type LogDiagnosticHandler,
  type LogEvent,
  type LogSink,
} from '../../../src/index.js';
import { MemorySink } from '../../fakes/memorySink.js';

/** A sink that adopts a context's diagnostics handler unless it has its own, as the contract says. */
class ReportingSink implements LogSink {
  adopted: LogDiagnosticHandler | undefined;
  constructor(readonly own?: LogDiagnosticHandler) {}
  log(_event: LogEvent): void {}
  adoptDiagnostics(handler: LogDiagnosticHandler): void {
    this.adopted ??= handler;
  }
  report(kind: string): void {
    (this.own ?? this.adopted)?.({ kind, message: kind });
  }
}

describe('LogContext options', () => {
  it('rejects unknown option names with the closest valid one', () => {
    expect(() => new LogContext({ sinks: new MemorySink(), namepsace: 'x' } as never)).toThrow(
      /LogContext: unknown option `namepsace` \(did you mean `namespace`\?\)/,
    );
    expect(
      () => new LogContext({ sinks: new MemorySink(), tracecontext: () => {} } as never),
    ).toThrow(/did you mean `traceContext`/);
  });

  it('rejects options that are not an object with a LogConfigError, never a TypeError', () => {
    for (const bad of [null, 'sinks', 42])
      expect(() => new LogContext(bad as never)).toThrow(LogConfigError);
  });
});

describe('sink names in the policy', () => {
  it('a filter for a sink the context does not have is a LogConfigError naming the closest sink', () => {
    const policy = new LogEventPolicy().setFilter('consol', '', 'error');
    const create = () =>
      new LogContext({ sinks: { console: new MemorySink(), upload: new MemorySink() }, policy });
    expect(create).toThrow(LogConfigError);
    expect(create).toThrow(/unknown sink 'consol'.*did you mean `console`/);
  });

  it('a filter added later for an unknown sink is reported once through diagnostics', () => {
    const diagnostics: LogDiagnostic[] = [];
    const policy = new LogEventPolicy().setFilter('console', '', 'warn');
    const sink = new MemorySink();
    const ctx = new LogContext({
      sinks: { console: sink },
      policy,
      onDiagnostic: (d) => diagnostics.push(d),
    });
    policy.setFilter('consol', '', 'error');
    policy.setFilter('consol', 'a', 'error');
    policy.setFilter('console', '', 'info');
    expect(diagnostics.map((d) => d.kind)).toEqual(['policy-unknown-sink:consol']);
    expect(diagnostics[0].message).toMatch(/'consol'.*sinks: console/);
    ctx.info('still routed by the known filter');
    expect(sink.events).toHaveLength(1);
  });

  it('the policy must be a LogEventPolicy: a look-alike object is a LogConfigError', () => {
    const lookAlike = { onChange: () => () => {}, entries: () => [], resolve: () => undefined };
    expect(() => new LogContext({ sinks: new MemorySink(), policy: lookAlike as never })).toThrow(
      /LogContext: `policy` must be a LogEventPolicy/,
    );
  });

  it('a policy typed by its sink names rejects other names, in types and at run time', () => {
    const policy = new LogEventPolicy({ sinks: ['console', 'upload'] });
    policy.setFilter('console', '', 'warn');
    // @ts-expect-error -- not one of the policy's sinks
    expect(() => policy.setFilter('consol', '', 'warn')).toThrow(
      /unknown sink 'consol'.*`console`/,
    );
    // Plain string policies keep accepting any name.
    new LogEventPolicy().setFilter('anything', '', 'warn');
    // A typed policy is accepted by a context with those sinks.
    new LogContext({ sinks: { console: new MemorySink(), upload: new MemorySink() }, policy });
    expect(() => new LogEventPolicy({ sink: [] } as never)).toThrow(/did you mean `sinks`/);
    expect(() => new LogEventPolicy({ sinks: 'console' } as never)).toThrow(LogConfigError);
    expect(() => new LogEventPolicy(null as never)).toThrow(LogConfigError);
  });
});

describe('one sink object in one place', () => {
  it('the same sink under two names is a LogConfigError', () => {
    const sink = new MemorySink();
    expect(() => new LogContext({ sinks: { a: sink, b: sink } })).toThrow(
      /used twice: as sink 'a' and sink 'b'/,
    );
  });

  it("a sink that is also another sink's drainTo is a LogConfigError", () => {
    const upload = new MemorySink();
    const buffer = Object.assign(new MemorySink(), { drainTo: upload });
    expect(() => new LogContext({ sinks: { upload, buffer } })).toThrow(
      /as sink 'upload' and drainTo of 'buffer'/,
    );
    const other = Object.assign(new MemorySink(), { drainTo: upload });
    expect(() => new LogContext({ sinks: { buffer, other } })).toThrow(LogConfigError);
    // Distinct objects are fine.
    new LogContext({ sinks: { buffer, console: new MemorySink() } });
  });
});

describe('one diagnostics channel', () => {
  it("a sink without its own onDiagnostic reports through the context's, also the one it drains to", () => {
    const seen: string[] = [];
    const drain = new ReportingSink();
    const quiet = new ReportingSink();
    const buffer = Object.assign(new ReportingSink(), { drainTo: drain });
    new LogContext({
      sinks: { quiet, buffer },
      onDiagnostic: (d) => seen.push(d.kind),
    });
    quiet.report('from-sink');
    drain.report('from-drain');
    expect(seen).toEqual(['from-sink', 'from-drain']);
  });

  it('a sink with its own onDiagnostic keeps it; without a context handler nothing is adopted', () => {
    const own = vi.fn();
    const context = vi.fn();
    const sink = new ReportingSink(own);
    new LogContext({ sinks: sink, onDiagnostic: context });
    sink.report('x');
    expect(own).toHaveBeenCalledOnce();
    expect(context).not.toHaveBeenCalled();
    const plain = new ReportingSink();
    new LogContext({ sinks: plain });
    expect(plain.adopted).toBeUndefined();
  });

  it('a throwing adoptDiagnostics does not fail the context', () => {
    const sink = Object.assign(new MemorySink(), {
      adoptDiagnostics: () => {
        throw new Error('no');
      },
    });
    expect(() => new LogContext({ sinks: sink, onDiagnostic: () => {} })).not.toThrow();
  });
});
