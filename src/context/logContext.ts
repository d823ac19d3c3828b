import { createDiagnostics, type LogDiagnosticHandler } from '../core/diagnostics.js';
import { LogConfigError } from '../core/errors.js';
import { LOG_LEVELS, type LogLevel } from '../core/level.js';
import { joinNamespace, normalizeNamespace } from '../core/namespace.js';
import { LogEventPolicy } from '../core/policy.js';
import type { LogSink } from '../core/sink.js';
import { LogPayloadProcessor } from '../payload/processor.js';
import { compileLevelMethods, NOOP, type LogMethod } from './compile.js';
import { createContextTree, type ContextTree, type NamedSink } from './tree.js';

/** Options of a root {@link LogContext}. */
export interface LogContextOptions {
  /**
   * The context's namespace path.
   * @default '' (the root)
   */
  namespace?: string;
  /** Where events go: one sink (named `'default'`) or sinks by name, the names policy filters use. */
  sinks: LogSink | Record<string, LogSink>;
  /**
   * Which sinks accept which events.
   * @default a new `LogEventPolicy()`: every sink accepts everything
   */
  policy?: LogEventPolicy;
  /**
   * Normalizes payloads and bound attributes, once per accepted event.
   * @default a new `LogPayloadProcessor()`
   */
  payloadProcessor?: LogPayloadProcessor;
  /** Attributes bound to every event of this context and its children. */
  context?: Record<string, unknown>;
  /**
   * Receives the SDK's own failure reports (each kind once).
   * @default `console.warn` as it was when the context was created
   */
  onDiagnostic?: LogDiagnosticHandler;
  /**
   * The clock, in epoch milliseconds.
   * @default Date.now
   */
  now?: () => number;
}

const MAX_SINKS = 30; // accepted sinks travel as bits of one small integer on the hot path

// Lets `child()` build a context without going through option validation again.
const CHILD_OF: unique symbol = Symbol('mvx-logger.childOf');

interface ChildInit {
  readonly tree: ContextTree;
  readonly namespace: string;
  readonly context: Readonly<Record<string, unknown>> | undefined;
}

/**
 * What application code logs through: a namespace, bound attributes, and one method per level.
 * A level method whose call no sink can accept is a shared no-op, recompiled when the policy changes,
 * so a disabled call costs about an empty function call and its payload is never touched.
 *
 * @example
 * const log = new LogContext({ namespace: 'com.acme.shop', sinks: { console: new ConsoleSink() } });
 * const cart = log.child('checkout/cart', { cartId: 'c-42' });
 * cart.debug('cart updated', () => ({ items: cart.items })); // evaluated only when accepted
 */
export class LogContext {
  /** The namespace path of this context. */
  readonly namespace: string;
  /** Normalized attributes bound to this context and its parents (frozen), or `undefined`. */
  readonly context: Readonly<Record<string, unknown>> | undefined;

  // Assigned by recompile() in the constructor (no initializers: they would only be overwritten).
  /** Logs at `trace`. A function payload is called only when some sink accepts the event. */
  trace!: LogMethod;
  /** Logs at `debug`. A function payload is called only when some sink accepts the event. */
  debug!: LogMethod;
  /** Logs at `info`. A function payload is called only when some sink accepts the event. */
  info!: LogMethod;
  /** Logs at `warn`. A function payload is called only when some sink accepts the event. */
  warn!: LogMethod;
  /** Logs at `error`. A function payload is called only when some sink accepts the event. */
  error!: LogMethod;
  /** Logs at `fatal`. A function payload is called only when some sink accepts the event. */
  fatal!: LogMethod;

  private readonly tree: ContextTree;

  /**
   * @throws LogConfigError when an option is invalid
   */
  constructor(options: LogContextOptions) {
    const init = (options as { [CHILD_OF]?: ChildInit } | undefined)?.[CHILD_OF];
    if (init) {
      this.tree = init.tree;
      this.namespace = init.namespace;
      this.context = init.context;
    } else {
      this.tree = createContextTree({
        sinks: checkOptions(options),
        policy: options.policy ?? new LogEventPolicy(),
        processor: options.payloadProcessor ?? new LogPayloadProcessor(),
        diagnostics: createDiagnostics(options.onDiagnostic),
        now: options.now ?? Date.now,
      });
      this.namespace = normalizeNamespace(options.namespace ?? '');
      this.context = bindAttributes(this.tree, undefined, options.context);
    }
    this.tree.register(this);
    this.recompile();
  }

  /**
   * A context for a sub-path, sharing sinks and policy, with more bound attributes.
   * @param path - appended to this namespace with `/` (`'cart'` → `'…/checkout/cart'`)
   * @param context - attributes merged over the parent's
   * @throws LogConfigError when `path` is not a string or `context` not an object
   */
  child(path: string, context?: Record<string, unknown>): LogContext {
    const init: ChildInit = {
      tree: this.tree,
      namespace: joinNamespace(this.namespace, normalizeNamespace(path)),
      context: bindAttributes(this.tree, this.context, context),
    };
    return new LogContext({ [CHILD_OF]: init } as unknown as LogContextOptions);
  }

  /** Whether some sink may accept an event of `level` from this context (filters can still reject it). */
  isEnabled(level: LogLevel): boolean {
    const method: unknown = LOG_LEVELS.includes(level) ? this[level] : undefined;
    return typeof method === 'function' && method !== NOOP;
  }

  /** Resolves when every sink has delivered (or dropped) what was logged before the call. Never rejects. */
  flush(): Promise<void> {
    return this.tree.flush();
  }

  /**
   * Stops logging through this context tree (every method becomes a no-op), then flushes and
   * closes its sinks. Idempotent; never rejects.
   */
  close(): Promise<void> {
    return this.tree.close();
  }

  /** Rebuilds the level methods from the current policy. Called by the tree when the policy changes. */
  recompile(): void {
    compileLevelMethods(this, this.tree, this.namespace, this.context);
  }
}

function checkOptions(options: LogContextOptions): NamedSink[] {
  const { sinks, policy, payloadProcessor: processor, onDiagnostic, now } = options ?? {};
  const fail: (what: string) => never = (what) => {
    throw new LogConfigError(`LogContext: ${what}`);
  };
  if (typeof sinks !== 'object' || sinks === null)
    fail('`sinks` is required: a sink or { name: sink }');
  const named: NamedSink[] = isSink(sinks)
    ? [{ name: 'default', sink: sinks }]
    : Object.keys(sinks).map((name) => ({ name, sink: (sinks as Record<string, LogSink>)[name] }));
  for (const { name, sink } of named)
    if (!isSink(sink)) fail(`sink '${name}' has no log(event) method`);
  if (named.length > MAX_SINKS) fail(`at most ${MAX_SINKS} sinks`);
  if (policy !== undefined && !(policy instanceof LogEventPolicy))
    fail('`policy` must be a LogEventPolicy');
  if (processor !== undefined && typeof processor?.process !== 'function')
    fail('`payloadProcessor` must have process()');
  if (![onDiagnostic, now].every((f) => f === undefined || typeof f === 'function'))
    fail('`onDiagnostic` and `now` must be functions');
  return named;
}

function isSink(value: unknown): value is LogSink {
  return typeof (value as LogSink | null)?.log === 'function';
}

function bindAttributes(
  tree: ContextTree,
  parent: Readonly<Record<string, unknown>> | undefined,
  own: Record<string, unknown> | undefined,
): Readonly<Record<string, unknown>> | undefined {
  if (own === undefined) return parent;
  if (!isRecord(own)) throw new LogConfigError('`context` must be an object of attributes');
  const normalized = tree.normalize(own);
  const merged = { ...parent, ...(isRecord(normalized) ? normalized : undefined) };
  return Object.keys(merged).length ? Object.freeze(merged) : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
