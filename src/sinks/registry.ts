import { checkedOptions, configFail, optionsObject } from '../core/check.js';
import { createDiagnostics, type LogDiagnosticHandler } from '../core/diagnostics.js';
import { LogConfigError, LogSinkConflictError } from '../core/errors.js';
import type { LogSink, LogSinkDescriptor, LogSinkTerminator } from '../core/sink.js';

/**
 * A sink class the registry can manage: static `buildDescriptor` and `create`.
 * @group Registry
 */
export interface LogSinkClass<O, S extends LogSink> {
  /** Sink identity for `options`; called before `create`, must not allocate resources. */
  buildDescriptor(options: O): LogSinkDescriptor;
  /** Creates the sink and the terminator that closes it. */
  create(options: O): readonly [S, LogSinkTerminator];
}

/**
 * Arguments of {@link configureLogSink}: a name, the sink class, and the class's own options.
 * @group Registry
 */
export type ConfigureLogSinkArgs<O, S extends LogSink> = {
  /** The registry name; also the name to give the sink in a `LogContext`'s `sinks` for policy filters. */
  name: string;
  sinkClass: LogSinkClass<O, S>;
} & O;

/**
 * Options of {@link closeLogSink} and {@link resetLogSinks}.
 * @group Registry
 */
export interface CloseLogSinkOptions {
  /**
   * Receives terminator failures.
   * @default `console.warn` as it was at the call
   */
  onDiagnostic?: LogDiagnosticHandler;
}

const CLOSE_OPTIONS = ['onDiagnostic'];

/** A registered sink: its identity, and the sink and terminator (unset while `create` runs). */
interface RegistryEntry {
  readonly _descriptor: LogSinkDescriptor;
  _sink?: LogSink;
  _terminator?: LogSinkTerminator;
}

// The SDK's only module-level state: the package-level sink registry. Created on first use,
// so nothing happens at import.
let registry: Map<string, RegistryEntry> | undefined;
const entries = () => (registry ??= new Map());

/** Structural equality of plain values (primitives, arrays, plain objects); identity for anything else. */
function equal(left: any, right: any): boolean {
  if (Object.is(left, right)) return true;
  const kind = plainKind(left);
  const keys = Object.keys(kind ? left : 0);
  return (
    kind > 0 &&
    kind === plainKind(right) &&
    keys.length === Object.keys(right).length &&
    keys.every((key) => key in right && equal(left[key], right[key]))
  );
}

/** 1 for an array, 2 for a plain object (prototype `Object.prototype` or none), 0 for anything else. */
function plainKind(value: unknown): number {
  // A primitive's prototype is its wrapper's (`String.prototype`, ...), never one of these two.
  return Array.isArray(value)
    ? 1
    : [Object.prototype, null].includes(Object.getPrototypeOf(value ?? 0))
      ? 2
      : 0;
}

/**
 * Registers a sink by name, or returns the one already registered under that name.
 * Same name and an equal descriptor → the existing sink (`create` is not called again);
 * same name and a different descriptor → `LogSinkConflictError`.
 *
 * @example
 * const upload = configureLogSink({ name: 'upload', sinkClass: UploadSink, url: '/v1/logs', encoding: 'otlp' });
 * const log = new LogContext({ sinks: { upload, console: configureLogSink({ name: 'console', sinkClass: ConsoleSink }) } });
 * @throws LogSinkConflictError when `name` is registered with a different descriptor
 * @throws LogConfigError on a missing name or sink class, or when `create` fails
 * @group Registry
 */
export function configureLogSink<O, S extends LogSink>(args: ConfigureLogSinkArgs<O, S>): S {
  // The sink class checks its own options (unknown names included) when it creates the sink.
  const { name, sinkClass, ...rest } = optionsObject('configureLogSink', args);
  const options = rest as unknown as O;
  const owner = `configureLogSink('${name}')`;
  if (typeof name !== 'string' || !name) configFail(owner, '`name` must be a non-empty string');
  if (typeof sinkClass?.buildDescriptor !== 'function' || typeof sinkClass.create !== 'function')
    configFail(owner, '`sinkClass` needs static buildDescriptor() and create()');
  const descriptor = sinkClass.buildDescriptor(options);
  // The identity that is compared (structurally) and shown, with field names, in a conflict message.
  const identity: LogSinkDescriptor = {
    sinkType: descriptor.sinkType,
    resourceKey: descriptor.resourceKey,
    configKey: descriptor.configKey,
  };
  const existing = entries().get(name);
  if (existing) {
    if (!equal(existing._descriptor, identity)) {
      let shown = `'${identity.sinkType}'`;
      try {
        shown = `${JSON.stringify(existing._descriptor)}, requested as ${JSON.stringify(identity)}`;
      } catch {
        // A value JSON cannot show (a cycle, a bigint): the message names the sink type only.
      }
      throw new LogSinkConflictError(
        `${owner}: registered as ${shown}; use another name or close it first`,
      );
    }
    // Same identity while its create() runs: a re-entrant call must not create a second sink.
    return (existing._sink as S) ?? configFail(owner, 'called again while its create() runs');
  }
  // Reserve the name before `create` runs, so a re-entrant call cannot create a second sink.
  const entry: RegistryEntry = { _descriptor: identity };
  entries().set(name, entry);
  try {
    const [sink, terminator] = sinkClass.create(options);
    if (typeof sink?.log !== 'function' || typeof terminator !== 'function')
      configFail(owner, 'create() must return [sink, terminator]');
    entry._sink = sink;
    entry._terminator = terminator;
    return sink;
  } catch (error) {
    entries().delete(name);
    throw error instanceof LogConfigError
      ? error
      : new LogConfigError(`${owner}: create() failed: ${String(error)}`, { cause: error });
  }
}

/**
 * The sink registered as `name`, or `undefined`.
 * @group Registry
 */
export function getLogSink<S extends LogSink = LogSink>(name: string): S | undefined {
  return entries().get(name)?._sink as S | undefined;
}

/**
 * The names of every registered sink.
 * @group Registry
 */
export function listLogSinks(): string[] {
  return [...entries().keys()];
}

/**
 * Runs the terminator of `name` once and forgets the name. Closing twice or an unknown name is harmless;
 * a failing terminator is reported through diagnostics, never thrown.
 * @throws LogConfigError (at the call) on an unknown option name
 * @group Registry
 */
export function closeLogSink(name: string, options?: CloseLogSinkOptions): Promise<void> {
  return close([name], checkedOptions('closeLogSink', options, CLOSE_OPTIONS));
}

/**
 * Closes every registered sink in parallel, waits for all, reports terminator failures through
 * diagnostics and forgets every sink even when its terminator failed.
 * @throws LogConfigError (at the call) on an unknown option name
 * @group Registry
 */
export function resetLogSinks(options?: CloseLogSinkOptions): Promise<void> {
  return close(listLogSinks(), checkedOptions('resetLogSinks', options, CLOSE_OPTIONS));
}

/**
 * Forgets `names` now and runs their terminators in parallel. Each terminator runs once: its entry
 * is gone before it starts.
 */
async function close(names: string[], options?: CloseLogSinkOptions): Promise<void> {
  const diagnostics = createDiagnostics(options?.onDiagnostic);
  await Promise.all(
    names.map(async (name) => {
      const terminate = entries().get(name)?._terminator;
      entries().delete(name);
      try {
        await terminate?.();
      } catch (error) {
        diagnostics._report(
          `terminator-failed:${name}`,
          `sink '${name}': terminator failed`,
          error,
        );
      }
    }),
  );
}
