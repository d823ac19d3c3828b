import { afterEach, describe, expect, it } from 'vitest';
import {
  captureConsole,
  closeLogSink,
  ConsoleSink,
  fingersCrossed,
  LogConfigError,
  LogContext,
  LogEventPolicy,
  LogPayloadProcessor,
  parseTraceparent,
  resetLogSinks,
  stormGuard,
} from '../../../src/index.js';
import { MemorySink } from '../../fakes/memorySink.js';

// Mistakes a first-time JavaScript user makes (no types to catch them), each answered by a
// LogConfigError that names what to fix, or, for a parser, by its documented "not valid" answer.

afterEach(() => resetLogSinks());

const fakeConsole = () => ({ warn() {}, error() {}, info() {}, log() {}, debug() {}, trace() {} });

describe('mistakes fail with a LogConfigError that says what to fix', () => {
  it('closeLogSink / resetLogSinks: an unknown option throws at the call, not later', () => {
    expect(() => closeLogSink('x', { onDiagnostc: () => {} } as never)).toThrow(
      /closeLogSink: unknown option `onDiagnostc` \(did you mean `onDiagnostic`\?\)/,
    );
    expect(() => resetLogSinks({ ondiagnostic: () => {} } as never)).toThrow(
      /resetLogSinks: unknown option `ondiagnostic` \(did you mean `onDiagnostic`\?\)/,
    );
    expect(() => resetLogSinks(null as never)).toThrow(LogConfigError);
  });

  it('captureConsole: the misspelt method is named, with the closest one', () => {
    const log = new LogContext({ sinks: new MemorySink() });
    const console = fakeConsole();
    expect(() =>
      captureConsole(log, ['warn', 'eror' as never], { console: console as never }),
    ).toThrow(/got `eror` \(did you mean `error`\?\)/);
    expect(console.warn.name).toBe('warn'); // nothing installed
  });

  it('setFilter: a misspelt level or a non-filter is a setFilter error, not a minLevel one', () => {
    const policy = new LogEventPolicy();
    expect(() => policy.setFilter('console', '', 'warnn' as never)).toThrow(
      /^LogEventPolicy\.setFilter: level name must be one of .*, got 'warnn' \(did you mean `warn`\?\)$/,
    );
    expect(() => policy.setFilter('console', '', { level: 'warn' } as never)).toThrow(
      /^LogEventPolicy\.setFilter: .* got object$/,
    );
    expect(policy.entries()).toEqual([]);
  });

  it('an array where an options object or the sinks record belongs is a LogConfigError', () => {
    const sink = new MemorySink();
    for (const make of [
      () => new ConsoleSink([] as never),
      () => new LogPayloadProcessor([] as never),
      () => new LogEventPolicy([] as never),
      () => fingersCrossed(sink, [] as never),
      () => stormGuard(sink, [] as never),
    ])
      expect(make).toThrow(/options must be an object, got an array/);
    // sinks as an array would be named '0', '1': not names a policy can be written for
    expect(() => new LogContext({ sinks: [sink] as never })).toThrow(
      /`sinks` is required: a sink or \{ name: sink \}/,
    );
  });
});

describe('parsers answer "not valid" for anything that is not their input', () => {
  it('parseTraceparent returns undefined for a missing meta tag (undefined, null, a number)', () => {
    // e.g. parseTraceparent(document.querySelector('meta[name=traceparent]')?.content)
    for (const value of [undefined, null, 42, {}])
      expect(parseTraceparent(value as never)).toBeUndefined();
    expect(
      parseTraceparent('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01')?.spanId,
    ).toBe('b7ad6b7169203331');
  });
});
