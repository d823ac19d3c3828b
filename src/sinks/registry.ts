import { createDiagnostics, type LogDiagnosticHandler } from '../core/diagnostics.js';
import { LogConfigError, LogSinkConflictError } from '../core/errors.js';
import type { LogSink, LogSinkDescriptor, LogSinkTerminator } from '../core/sink.js';
import { describeDescriptor, descriptorEquals } from './descriptorEquals.js';

/** A sink class the registry can manage: static `buildDescriptor` and `create`. */
export interface LogSinkClass<O, S extends LogSink> {
  /** Sink identity for `options`; called before `create`, must not allocate resources. */
  buildDescriptor(options: O): LogSinkDescriptor;
  /** Creates the sink and the terminator that closes it. */
  create(options: O): readonly [S, LogSinkTerminator];
}

/** Arguments of {@link configureLogSink}: a name, the sink class, and the class's own options. */
export type ConfigureLogSinkArgs<O, S extends LogSink> = {
  /** The registry name; also the name to give the sink in a `LogContext`'s `sinks` for policy filters. */
  name: string;
  sinkClass: LogSinkClass<O, S>;
} & O;

interface Entry {
  readonly descriptor: LogSinkDescriptor;
  sink?: LogSink; // unset while `create` runs
  terminate?: () => Promise<void>;
}

// The SDK's only module-level state: the package-level sink registry. Created on first use,
// so nothing happens at import.
let registry: Map<string, Entry> | undefined;
const entries = () => (registry ??= new Map());

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
 */
export function configureLogSink<O, S extends LogSink>(args: ConfigureLogSinkArgs<O, S>): S {
  if (typeof args !== 'object' || args === null) {
    throw new LogConfigError('configureLogSink: pass { name, sinkClass, ...options }');
  }
  const { name, sinkClass, ...rest } = args;
  const options = rest as unknown as O;
  if (typeof name !== 'string' || name === '') {
    throw new LogConfigError('configureLogSink: `name` must be a non-empty string');
  }
  if (typeof sinkClass?.buildDescriptor !== 'function' || typeof sinkClass.create !== 'function') {
    throw new LogConfigError(
      `configureLogSink('${name}'): \`sinkClass\` must have static buildDescriptor(options) and create(options)`,
    );
  }
  const descriptor = sinkClass.buildDescriptor(options);
  const existing = entries().get(name);
  if (existing) {
    if (!descriptorEquals(existing.descriptor, descriptor)) {
      throw new LogSinkConflictError(
        `configureLogSink: sink '${name}' is already registered as ${describeDescriptor(existing.descriptor)}; ` +
          `the new request is ${describeDescriptor(descriptor)}. Use another name, or closeLogSink('${name}') first.`,
      );
    }
    if (!existing.sink) {
      throw new LogConfigError(
        `configureLogSink: sink '${name}' is being created right now; its create() must not configure it again`,
      );
    }
    return existing.sink as S;
  }
  // Reserve the name before `create` runs, so a re-entrant call cannot create a second sink.
  const entry: Entry = { descriptor };
  entries().set(name, entry);
  let created: readonly [S, LogSinkTerminator];
  try {
    created = sinkClass.create(options);
    if (
      !Array.isArray(created) ||
      typeof created[0]?.log !== 'function' ||
      typeof created[1] !== 'function'
    ) {
      throw new LogConfigError(`create() must return [sink, terminator]`);
    }
  } catch (error) {
    entries().delete(name);
    if (error instanceof LogConfigError) throw error;
    throw new LogConfigError(`configureLogSink('${name}'): create() failed: ${String(error)}`, {
      cause: error,
    });
  }
  entry.sink = created[0];
  entry.terminate = once(created[1]);
  return created[0];
}

/** The sink registered as `name`, or `undefined`. */
export function getLogSink<S extends LogSink = LogSink>(name: string): S | undefined {
  return registry?.get(name)?.sink as S | undefined;
}

/** The names of every registered sink. */
export function listLogSinks(): string[] {
  return registry ? [...registry.keys()] : [];
}

/** Options of {@link closeLogSink} and {@link resetLogSinks}. */
export interface CloseLogSinkOptions {
  /**
   * Receives terminator failures.
   * @default `console.warn` as it was at the call
   */
  onDiagnostic?: LogDiagnosticHandler;
}

/**
 * Runs the terminator of `name` once and forgets the name. Closing twice or an unknown name is harmless;
 * a failing terminator is reported through diagnostics, never thrown.
 */
export async function closeLogSink(name: string, options: CloseLogSinkOptions = {}): Promise<void> {
  const entry = registry?.get(name);
  if (!entry) return;
  registry!.delete(name);
  await terminate(name, entry, createDiagnostics(options.onDiagnostic));
}

/**
 * Closes every registered sink in parallel, waits for all, reports terminator failures through
 * diagnostics and forgets every sink even when its terminator failed.
 */
export async function resetLogSinks(options: CloseLogSinkOptions = {}): Promise<void> {
  if (!registry) return;
  const all = [...registry];
  registry.clear();
  const diagnostics = createDiagnostics(options.onDiagnostic);
  await Promise.all(all.map(([name, entry]) => terminate(name, entry, diagnostics)));
}

async function terminate(
  name: string,
  entry: Entry,
  diagnostics: ReturnType<typeof createDiagnostics>,
): Promise<void> {
  try {
    await entry.terminate?.();
  } catch (error) {
    diagnostics.report(
      `terminator-failed:${name}`,
      `the terminator of sink '${name}' failed`,
      error,
    );
  }
}

/** Makes a terminator idempotent: later calls share the first call's outcome. */
function once(terminator: LogSinkTerminator): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= (async () => terminator())());
}
