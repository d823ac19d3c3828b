import type { LogFilter } from './filters.js';
import type { LogEventMeta } from './meta.js';

// What only a context WITH a policy runs: its function filters and the check of the sink names the
// policy filters. A `LogEventPolicy` carries it under POLICY_HOOKS and a context reaches it through
// its policy only, so an app without a policy does not bundle it (about 0.2 KB min+gzip).

/**
 * The key of the hooks a `LogEventPolicy` carries for the contexts using it. Package-internal
 * (not exported from the index); `Symbol.for`, so a policy from another copy of the package works.
 */
export const POLICY_HOOKS: unique symbol = Symbol.for('mvx-logger.policyHooks');

/** A sink name the policy has filters for that a context does not have. */
export interface UnknownPolicySink {
  readonly _name: string;
  /** Says so, naming the sinks the context has. */
  readonly _message: string;
}

/** Reports a diagnostic (the context's channel). */
type Report = (kind: string, message: string, error?: unknown) => void;

/**
 * Clears from `accepted` (one bit per sink of a level method) the bit of every sink whose filter
 * rejects `meta` or throws, and returns the rest.
 */
export type FilterStep = (meta: LogEventMeta, accepted: number) => number;

/** What a context with a policy runs, from {@link createPolicyHooks}. */
export interface PolicyHooks {
  /** The sink names the policy has filters for that are not among `sinkNames`. */
  _unknownSinks(sinkNames: readonly string[]): UnknownPolicySink[];
  /**
   * The filter step of one level method.
   * @param filters - per sink of the method, its function filter, or `false` (a plain threshold)
   * @param names - the sink names, for the report of a filter that throws (rejected, reported)
   */
  _filterStep(
    filters: readonly (LogFilter | false)[],
    names: readonly string[],
    report: Report,
  ): FilterStep;
}

/**
 * The hooks of a policy.
 * @param entries - the policy's filters (`LogEventPolicy.entries`)
 */
export function createPolicyHooks(entries: () => Iterable<{ readonly sink: string }>): PolicyHooks {
  return {
    _unknownSinks(sinkNames) {
      const unknown = new Set<string>();
      for (const { sink } of entries()) if (!sinkNames.includes(sink)) unknown.add(sink);
      return [...unknown].map((name) => ({
        _name: name,
        _message: `policy filter for unknown sink '${name}' (sinks: ${sinkNames})`,
      }));
    },
    _filterStep: (filters, names, report) => (meta, accepted) => {
      for (let i = 0; i < filters.length; i++) {
        const filter = filters[i];
        try {
          if (filter && !filter(meta)) accepted ^= 1 << i;
        } catch (error) {
          accepted ^= 1 << i;
          report(`filter-threw:${names[i]}`, 'filter threw; event rejected', error);
        }
      }
      return accepted;
    },
  };
}
