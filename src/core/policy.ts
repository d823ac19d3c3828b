import { checkedOptions, configFail, didYouMean } from './check.js';
import { filterThreshold, levelFilter, minLevel, type LogFilter } from './filters.js';
import { LOG_LEVELS, type LogLevel } from './level.js';
import type { LogEventMeta } from './meta.js';
import { normalizeNamespace, parentNamespace } from './namespace.js';
import { createPolicyHooks, POLICY_HOOKS, type PolicyHooks } from './policyHooks.js';

/**
 * The filter that decides for one sink and namespace: the closest one up the hierarchy.
 * @group Policy
 */
export interface ResolvedFilter {
  /** The path the filter is set at. */
  readonly path: string;
  readonly filter: LogFilter;
  /** Set when the filter is a plain severity threshold (`minLevel`, `allow`, `deny`, a level name). */
  readonly threshold: number | undefined;
}

/**
 * One filter of the tree, as listed by {@link LogEventPolicy.entries}.
 * @group Policy
 */
export interface LogFilterEntry<SinkName extends string = string> {
  readonly sink: SinkName;
  readonly path: string;
  readonly filter: LogFilter;
  /** The level, when the filter was set as a level name or with `minLevel`. */
  readonly level: LogLevel | undefined;
}

/**
 * Options of a {@link LogEventPolicy}.
 * @group Policy
 */
export interface LogEventPolicyOptions<SinkName extends string = string> {
  /**
   * The sink names filters may use. Given, `setFilter` throws a `LogConfigError` for any other
   * name (with the closest one), and in TypeScript accepts only these (`as const` not needed).
   * @default any name (a `LogContext` still checks the names against its sinks)
   */
  sinks?: readonly SinkName[];
}

const POLICY_OPTIONS = ['sinks'];

/**
 * Which sinks accept an event: per sink, a filter tree over namespaces where the closest filter
 * on the way from the event's namespace up to the root decides alone, and no filter means accept.
 * Independent of contexts and sinks, so another logging framework can use it too.
 *
 * @example
 * const policy = new LogEventPolicy()
 *   .setFilter('console', '', 'warn')
 *   .setFilter('console', 'com.acme.shop/checkout', 'debug');
 * // typed by its sinks: setFilter('consol', …) is a type error and a LogConfigError
 * const checked = new LogEventPolicy({ sinks: ['console', 'upload'] });
 * @group Policy
 */
export class LogEventPolicy<SinkName extends string = string> {
  #filtersBySink = new Map<string, Map<string, LogFilter>>(); // sink -> path -> filter
  #resolvedBySink = new Map<string, Map<string, ResolvedFilter | null>>(); // sink -> namespace -> filter
  #listeners = new Set<() => void>();
  #revision = 0;
  #knownSinks: readonly string[] | undefined;

  /**
   * @param options - optionally, the sink names filters may use
   * @throws LogConfigError on an unknown option or a `sinks` that is not an array of names
   */
  constructor(options?: LogEventPolicyOptions<SinkName>) {
    const { sinks } = checkedOptions('LogEventPolicy', options, POLICY_OPTIONS);
    if (sinks !== undefined) {
      if (!Array.isArray(sinks)) configFail('LogEventPolicy', '`sinks` must be an array of names');
      sinks.forEach(checkSinkName);
      this.#knownSinks = [...sinks];
    }
  }

  /**
   * Sets the filter of `sink` at `path`, replacing any there; the next log call sees it.
   * @param sink - the sink's name, as given to `LogContext`'s `sinks`
   * @param path - a namespace path; `''` is the root
   * @param filter - a filter function, or a level name meaning "this level and above"
   * @throws LogConfigError on a bad sink name (not among `sinks` when given), path or filter
   */
  setFilter(sink: SinkName, path: string, filter: LogFilter | LogLevel): this {
    this.#checkSink(sink);
    const normalizedPath = normalizeNamespace(path);
    const decide =
      typeof filter === 'function' ? filter : levelFilter(filter, 'LogEventPolicy.setFilter');
    let paths = this.#filtersBySink.get(sink);
    if (!paths) this.#filtersBySink.set(sink, (paths = new Map()));
    paths.set(normalizedPath, decide);
    this.#changed();
    return this;
  }

  /**
   * Removes the filter of `sink` at `path`; a missing one is fine.
   * @throws LogConfigError on a bad sink name or path
   */
  clearFilter(sink: SinkName, path: string): this {
    this.#checkSink(sink);
    const paths = this.#filtersBySink.get(sink);
    if (paths?.delete(normalizeNamespace(path))) {
      if (paths.size === 0) this.#filtersBySink.delete(sink);
      this.#changed();
    }
    return this;
  }

  /** Whether `sink` accepts `meta`. A filter that throws rejects. */
  accepts(sink: string, meta: LogEventMeta): boolean {
    const resolved = this.resolve(sink, meta.namespace);
    if (!resolved) return true;
    try {
      return resolved.filter(meta) === true;
    } catch {
      return false;
    }
  }

  /** The filter that decides for `sink` at `namespace`, or `undefined` when none does (accept). Cached. */
  resolve(sink: string, namespace: string): ResolvedFilter | undefined {
    let bySink = this.#resolvedBySink.get(sink);
    if (!bySink) this.#resolvedBySink.set(sink, (bySink = new Map()));
    let resolved = bySink.get(namespace);
    if (resolved === undefined) bySink.set(namespace, (resolved = this.walk(sink, namespace)));
    return resolved ?? undefined;
  }

  /** The uncached resolution, walking from `namespace` up to the root. */
  walk(sink: string, namespace: string): ResolvedFilter | null {
    const paths = this.#filtersBySink.get(sink);
    for (
      let path: string | undefined = namespace;
      paths && path !== undefined;
      path = parentNamespace(path)
    ) {
      const filter = paths.get(path);
      if (filter) return { path, filter, threshold: filterThreshold(filter) };
    }
    return null;
  }

  /** Every filter set, for display and debugging. */
  entries(): LogFilterEntry<SinkName>[] {
    const list: LogFilterEntry<SinkName>[] = [];
    for (const [sink, paths] of this.#filtersBySink) {
      for (const [path, filter] of paths) {
        // A level name is stored as the shared minLevel filter, so this finds it too.
        const level = LOG_LEVELS.find((name) => minLevel(name) === filter);
        list.push({ sink: sink as SinkName, path, filter, level });
      }
    }
    return list;
  }

  /** Increases on every change; lets holders of derived state know it is stale. */
  get version(): number {
    return this.#revision;
  }

  /**
   * Calls `listener` after every change (contexts recompile their level methods this way).
   * @returns a function that unsubscribes
   */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * What a context using this policy runs besides `resolve` (see `policyHooks.ts`).
   * @internal
   */
  [POLICY_HOOKS](): PolicyHooks {
    return createPolicyHooks(() => this.entries());
  }

  #checkSink(sink: unknown): void {
    checkSinkName(sink);
    const known = this.#knownSinks;
    if (known && !known.includes(sink as string))
      configFail(
        'LogEventPolicy',
        `unknown sink '${sink as string}'${didYouMean(sink as string, known)}; known: ${known.join(', ')}`,
      );
  }

  #changed(): void {
    this.#revision++;
    this.#resolvedBySink.clear();
    for (const listener of [...this.#listeners])
      try {
        listener();
      } catch {
        // A listener's failure must not stop the others from seeing the change.
      }
  }
}

function checkSinkName(sink: unknown): void {
  if (typeof sink != 'string' || !sink)
    configFail('LogEventPolicy', 'a sink name must be a non-empty string');
}
