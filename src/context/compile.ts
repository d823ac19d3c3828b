import { createEventId } from '../core/eventId.js';
import type { LogEvent } from '../core/event.js';
import type { LogFilter } from '../core/filters.js';
import { LOG_LEVELS, LOG_SEVERITY, type LogLevel } from '../core/level.js';
import type { LogSink } from '../core/sink.js';
import type { Diagnostics } from '../core/diagnostics.js';
import type { LogEventPolicy } from '../core/policy.js';

/** A level method: a message, and a payload that may be a function evaluated only when accepted. */
export type LogMethod = (message: string, payload?: unknown) => void;

/** The method of every level no sink can accept: the whole cost of a disabled call. */
export const NOOP: LogMethod = () => {};

/** What a context exposes to be compiled: its namespace, bound attributes and level methods. */
export type Compilable = Record<LogLevel, LogMethod> & {
  readonly namespace: string;
  readonly context: Readonly<Record<string, unknown>> | undefined;
};

/** What compiled level methods read from their context tree (see `tree.ts`). */
export interface EmitterHost {
  /** Sinks by the names policy filters address them with. */
  readonly sinks: readonly (readonly [string, LogSink])[];
  /** Absent: every sink accepts everything (and no policy code is bundled). */
  readonly policy: LogEventPolicy | undefined;
  readonly diagnostics: Diagnostics;
  readonly now: () => number;
  readonly closed: boolean;
  /** Runs the processor, never throwing. */
  normalize(value: unknown): unknown;
}

/**
 * Assigns the six level methods of `target` from what the policy resolves for its namespace.
 * A level no sink can accept gets {@link NOOP}; sinks decided by a plain threshold get no filter
 * call at all, so only function filters cost anything at log time.
 */
export function compileLevelMethods(target: Compilable, tree: EmitterHost): void {
  const { namespace, context } = target;
  const { report } = tree.diagnostics;
  for (const level of LOG_LEVELS) {
    const severity = LOG_SEVERITY[level];
    const names: string[] = [];
    const sinks: LogSink[] = [];
    const filters: (LogFilter | false)[] = [];
    for (const [name, sink] of tree.sinks) {
      // Cached by the policy: a map lookup per sink and level, and only when the policy changes.
      const resolved = tree.policy?.resolve(name, namespace);
      const threshold = resolved ? resolved.threshold : 0;
      if (threshold === undefined || severity >= threshold) {
        names.push(name);
        sinks.push(sink);
        filters.push(threshold === undefined && resolved!.filter);
      }
    }
    const hasFilters = filters.some(Boolean);
    target[level] =
      tree.closed || !sinks.length
        ? NOOP
        : (message, payload) => {
            let text: string;
            try {
              text = typeof message == 'string' ? message : String(message);
            } catch {
              text = '[unprintable message]';
            }
            const time = tree.now();
            // Accepted sinks travel as bits of one integer: no allocation on the hot path.
            let accepted = (1 << sinks.length) - 1;
            if (hasFilters) {
              const meta = { namespace, level, severity, message: text, time };
              filters.forEach((filter, i) => {
                try {
                  if (filter && !filter(meta)) accepted ^= 1 << i;
                } catch (error) {
                  accepted ^= 1 << i;
                  report(`filter-threw:${names[i]}`, 'filter threw; event rejected', error);
                }
              });
              if (!accepted) return;
            }
            if (typeof payload == 'function') {
              try {
                payload = payload();
              } catch (error) {
                report('payload-threw', 'lazy payload threw', error);
                payload = '[payload threw]';
              }
            }
            const event: LogEvent = Object.freeze({
              namespace,
              level,
              severity,
              message: text,
              time,
              id: createEventId(),
              payload: payload === undefined ? payload : tree.normalize(payload),
              context,
            });
            sinks.forEach((sink, i) => {
              if (accepted & (1 << i))
                try {
                  sink.log(event);
                } catch (error) {
                  report(`sink-threw:${names[i]}`, 'log() threw', error);
                }
            });
          };
  }
}
