import { checkedOptions, configFail, fnOption, isRecord } from '../core/check.js';
import { createDiagnostics, type LogDiagnosticHandler } from '../core/diagnostics.js';
import { isLogLevel, type LogLevel } from '../core/level.js';
import { joinNamespace, normalizeNamespace } from '../core/namespace.js';
import type { LogEventPolicy } from '../core/policy.js';
import type { LogSink } from '../core/sink.js';
import type { LogTraceContextSource } from '../core/traceContext.js';
import { createDefaultNormalizer } from '../payload/normalize.js';
import type { LogPayloadProcessor } from '../payload/processor.js';
import { NOOP, type LogMethod } from './compile.js';
import { checkedPolicy, namedSinks, OWNER, shareDiagnostics } from './sinkSetup.js';
import { createTraceReader } from './traceReader.js';
import { createContextTree, type ContextScope, type ContextTree } from './tree.js';

/**
 * Options of a root {@link LogContext}.
 * @group Contexts
 */
export interface LogContextOptions {
  /**
   * The context's namespace path.
   * @default '' (the root)
   */
  namespace?: string;
  /**
   * Where events go: one sink (named `'default'`) or sinks by name, the names policy filters use.
   * One sink object may appear once: under one name, or as one sink's `drainTo`.
   */
  sinks: LogSink | Record<string, LogSink>;
  /**
   * Which sinks accept which events. Every sink name it has a filter for must be in `sinks`.
   * @default none: every sink accepts everything (and no policy code lands in the bundle)
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
   * Receives the SDK's own failure reports (each kind once), this context's and those of its
   * sinks that have no `onDiagnostic` of their own.
   * @default `console.warn` as it was when the context was created
   */
  onDiagnostic?: LogDiagnosticHandler;
  /**
   * The clock, in epoch milliseconds.
   * @default Date.now
   */
  now?: () => number;
  /**
   * The current trace, read once per accepted event (never for a rejected one) into the event's
   * `traceId`, `spanId` and `traceFlags`; e.g. `traceContextFromOtel(trace)` or
   * `traceContextFromTraceparent(...)`. A throw is reported once and ignored; malformed values are
   * dropped and reported once.
   * @default none: events carry no trace context
   */
  traceContext?: LogTraceContextSource;
}

const CONTEXT_OPTIONS = [
  'namespace',
  'sinks',
  'policy',
  'payloadProcessor',
  'context',
  'onDiagnostic',
  'now',
  'traceContext',
];

type Attributes = Readonly<Record<string, unknown>>;

/** What `child()` hands to the constructor call it makes, so children skip option parsing. */
interface ChildSetup {
  readonly _tree: ContextTree;
  readonly _parentScope: ContextScope;
  readonly _namespace: string;
  readonly _context: Attributes | undefined;
}

// Set by child() for the constructor call it makes.
let adopting: ChildSetup | undefined;

/**
 * What application code logs through: a namespace, bound attributes, and one method per level.
 * A level method whose call no sink can accept is a shared no-op, recompiled when the policy changes,
 * so a disabled call costs about an empty function call and its payload is never touched.
 *
 * @example
 * const log = new LogContext({ namespace: 'com.acme.shop', sinks: { console: new ConsoleSink() } });
 * const cart = log.child('checkout/cart', { cartId: 'c-42' });
 * cart.debug('cart updated', () => ({ items: cart.items })); // evaluated only when accepted
 * @group Contexts
 */
export class LogContext {
  // Fields set by the constructor are declared only (`declare`): no field definitions to emit.
  /** The namespace path of this context. */
  declare readonly namespace: string;
  /** Normalized attributes bound to this context and its parents (frozen), or `undefined`. */
  declare readonly context: Attributes | undefined;

  // Assigned when the tree compiles this context (declared only: no field initializer to emit).
  /** Logs at `trace`. A function payload is called only when some sink accepts the event. */
  declare trace: LogMethod;
  /** Logs at `debug`. A function payload is called only when some sink accepts the event. */
  declare debug: LogMethod;
  /** Logs at `info`. A function payload is called only when some sink accepts the event. */
  declare info: LogMethod;
  /** Logs at `warn`. A function payload is called only when some sink accepts the event. */
  declare warn: LogMethod;
  /** Logs at `error`. A function payload is called only when some sink accepts the event. */
  declare error: LogMethod;
  /** Logs at `fatal`. A function payload is called only when some sink accepts the event. */
  declare fatal: LogMethod;

  #tree: ContextTree;
  #scope: ContextScope;

  /**
   * @throws LogConfigError when an option is invalid
   */
  constructor(options: LogContextOptions) {
    const child = adopting;
    adopting = undefined;
    if (child) {
      this.#tree = child._tree;
      this.#scope = { _closed: false, _parent: child._parentScope };
      this.namespace = child._namespace;
      this.context = child._context;
    } else {
      const checked = checkedOptions(OWNER, options, CONTEXT_OPTIONS);
      const sinks = namedSinks(checked.sinks);
      const policy = checkedPolicy(checked.policy, sinks);
      const { payloadProcessor } = checked;
      if (payloadProcessor !== undefined && typeof payloadProcessor?.process != 'function')
        configFail(OWNER, '`payloadProcessor` must have process()');
      const onDiagnostic = fnOption<LogDiagnosticHandler | undefined>(
        OWNER,
        checked,
        'onDiagnostic',
        undefined,
      );
      const traceContext = fnOption<LogTraceContextSource | undefined>(
        OWNER,
        checked,
        'traceContext',
        undefined,
      );
      const diagnostics = createDiagnostics(onDiagnostic);
      this.#tree = createContextTree({
        _sinks: sinks,
        _policy: policy,
        // as `new LogPayloadProcessor()` does, without bundling its option checks
        _processor: payloadProcessor ?? { process: createDefaultNormalizer() },
        _diagnostics: diagnostics,
        _now: fnOption(OWNER, checked, 'now', Date.now),
        _readTrace: traceContext && createTraceReader(traceContext, diagnostics),
      });
      shareDiagnostics(sinks, onDiagnostic);
      this.#scope = { _closed: false, _parent: undefined };
      this.namespace = normalizeNamespace(checked.namespace ?? '');
      this.context = bind(this.#tree, undefined, checked.context);
    }
    this.#tree._add(this, this.#scope);
  }

  /**
   * A context for a sub-path, sharing sinks and policy, with more bound attributes.
   * @param path - appended to this namespace with `/` (`'cart'` → `'…/checkout/cart'`)
   * @param context - attributes merged over the parent's
   * @throws LogConfigError when `path` is not a string or `context` not an object
   */
  child(path: string, context?: Record<string, unknown>): LogContext {
    const tree = this.#tree;
    adopting = {
      _tree: tree,
      _parentScope: this.#scope,
      _namespace: joinNamespace(this.namespace, normalizeNamespace(path)),
      _context: bind(tree, this.context, context),
    };
    return new LogContext(undefined as never);
  }

  /** Whether some sink may accept an event of `level` from this context (filters can still reject it). */
  isEnabled(level: LogLevel): boolean {
    return isLogLevel(level) && this[level] !== NOOP;
  }

  /**
   * Waits until every sink has delivered (or handed to a durable buffer) what was logged before
   * the call. Never rejects.
   * @param timeoutMs - stop waiting after this many milliseconds (delivery goes on)
   * @returns true when everything was delivered, false when a sink failed or `timeoutMs` passed first
   */
  flush(timeoutMs?: number): Promise<boolean> {
    return this.#tree._flush(timeoutMs);
  }

  /**
   * On the root context: stops logging through the whole tree (every method becomes a no-op),
   * then flushes and closes its sinks. On a child: makes that child and its own children no-ops
   * and closes nothing shared. Idempotent; never rejects.
   */
  close(): Promise<void> {
    const scope = this.#scope;
    if (!scope._parent) return this.#tree._close();
    if (!scope._closed) {
      scope._closed = true;
      this.#tree._recompile();
    }
    return Promise.resolve();
  }
}

function bind(
  tree: ContextTree,
  parent: Attributes | undefined,
  own: Record<string, unknown> | undefined,
): Attributes | undefined {
  if (own === undefined) return parent;
  let record: boolean;
  try {
    record = isRecord(own);
  } catch {
    record = true; // a revoked Proxy: data that cannot be read, a placeholder for the processor
  }
  if (!record) configFail(OWNER, '`context` must be an object of attributes');
  const normalized = tree._normalize(own); // an object, or a placeholder string if it failed
  const merged = { ...parent, ...(typeof normalized == 'object' && normalized) };
  return Object.keys(merged).length ? Object.freeze(merged) : undefined;
}
