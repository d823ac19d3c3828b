import { configFail, didYouMean } from '../core/check.js';
import type { LogDiagnosticHandler } from '../core/diagnostics.js';
import type { LogEventPolicy } from '../core/policy.js';
import { POLICY_HOOKS } from '../core/policyHooks.js';
import type { LogSink } from '../core/sink.js';

/** The owner named in the context's configuration errors. */
export const OWNER = 'LogContext';
const MAX_SINKS = 30; // accepted sinks travel as bits of one small integer on the hot path

/** A sink and the name policy filters address it with. */
export type NamedSink = readonly [name: string, sink: LogSink];

/**
 * The `sinks` option as named sinks: one sink is named `'default'`. Each must have `log()`, and
 * one sink object may serve in one place only: as one name, or as one sink's `drainTo`.
 * @throws LogConfigError when it is not
 */
export function namedSinks(sinks: unknown): NamedSink[] {
  // An array would name its sinks '0', '1', …: the names policy filters use must be chosen.
  if (typeof sinks != 'object' || !sinks || Array.isArray(sinks))
    configFail(OWNER, '`sinks` is required: a sink or { name: sink }');
  const named: NamedSink[] = isSink(sinks)
    ? [['default', sinks]]
    : Object.entries(sinks as Record<string, LogSink>);
  if (named.length > MAX_SINKS) configFail(OWNER, `at most ${MAX_SINKS} sinks`);
  // One object in two places would get every event twice (e.g. an UploadSink that is a sink and
  // also the buffer's drainTo).
  const placeOf = new Map<object, string>();
  const claim = (sink: object, place: string) => {
    const earlier = placeOf.get(sink);
    if (earlier) configFail(OWNER, `one sink object is used twice: as ${earlier} and ${place}`);
    placeOf.set(sink, place);
  };
  for (const [name, sink] of named) {
    if (!isSink(sink)) configFail(OWNER, `sink '${name}' has no log(event) method`);
    claim(sink, `sink '${name}'`);
  }
  for (const [name, sink] of named) {
    const drainTo = drainTarget(sink);
    if (drainTo) claim(drainTo, `drainTo of '${name}'`);
  }
  return named;
}

/** Whether `value` is a sink: an object with `log(event)`. */
export function isSink(value: unknown): value is LogSink {
  return typeof (value as LogSink | null)?.log == 'function';
}

/** The transport a sink drains to (`IndexedDbSink`'s `drainTo`), when it has one. */
function drainTarget(sink: LogSink): object | undefined {
  const drainTo = (sink as { drainTo?: unknown }).drainTo;
  return typeof drainTo == 'object' && drainTo !== null ? drainTo : undefined;
}

/**
 * The `policy` option, checked against the sinks: a filter for a sink the context does not have
 * would silently leave the real sink unfiltered (`'consol'` for `'console'`).
 * @throws LogConfigError on a policy that is not a `LogEventPolicy` or names an unknown sink
 */
export function checkedPolicy(
  policy: unknown,
  sinks: readonly NamedSink[],
): LogEventPolicy | undefined {
  if (policy === undefined) return undefined;
  const candidate = policy as LogEventPolicy | null;
  // The hooks a LogEventPolicy carries for its contexts (also from another copy of the package).
  if (typeof candidate?.[POLICY_HOOKS] != 'function')
    configFail(OWNER, '`policy` must be a LogEventPolicy');
  const sinkNames = sinks.map(([name]) => name);
  const [unknown] = candidate[POLICY_HOOKS]()._unknownSinks(sinkNames);
  if (unknown) configFail(OWNER, unknown._message + didYouMean(unknown._name, sinkNames));
  return candidate;
}

/**
 * Gives the context's `onDiagnostic` to every sink (and the transport each drains to) that can
 * adopt it: a sink without its own handler then reports through the context's. A sink whose
 * `adoptDiagnostics` throws keeps its own channel.
 */
export function shareDiagnostics(
  sinks: readonly NamedSink[],
  handler: LogDiagnosticHandler | undefined,
): void {
  if (!handler) return;
  for (const [, sink] of sinks)
    for (const target of [sink, drainTarget(sink)] as (LogSink | undefined)[])
      try {
        target?.adoptDiagnostics?.(handler);
      } catch {
        // Its own reports still go to its own channel (console.warn by default).
      }
}
