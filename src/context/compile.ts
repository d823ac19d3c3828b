import { createEventId } from '../core/eventId.js';
import type { LogEvent } from '../core/event.js';
import type { LogFilter } from '../core/filters.js';
import { LOG_LEVELS, LOG_SEVERITY, type LogLevel } from '../core/level.js';
import type { LogEventMeta } from '../core/meta.js';
import type { ContextTree, NamedSink } from './tree.js';

/** A level method: a message, and a payload that may be a function evaluated only when accepted. */
export type LogMethod = (message: string, payload?: unknown) => void;

/** The method of every level no sink can accept: the whole cost of a disabled call. */
export const NOOP: LogMethod = () => {};

type LevelMethods = Record<LogLevel, LogMethod>;

/**
 * Assigns the six level methods of a context from what the policy resolves for its namespace.
 * A level no sink can accept gets {@link NOOP}; a level where every candidate sink is decided by a
 * plain threshold gets a method that calls no filter at all.
 */
export function compileLevelMethods(
  target: LevelMethods,
  tree: ContextTree,
  namespace: string,
  context: Readonly<Record<string, unknown>> | undefined,
): void {
  for (const level of LOG_LEVELS) {
    const severity = LOG_SEVERITY[level];
    const sinks: NamedSink[] = [];
    const filters: (LogFilter | undefined)[] = [];
    for (const named of tree.sinks) {
      // Cached by the policy: a map lookup per sink and level, and only when the policy changes.
      const resolved = tree.policy.resolve(named.name, namespace);
      const threshold = resolved ? resolved.threshold : 0;
      if (threshold === undefined || severity >= threshold) {
        sinks.push(named);
        filters.push(threshold === undefined ? resolved!.filter : undefined);
      }
    }
    target[level] =
      tree.closed || !sinks.length
        ? NOOP
        : createEmitter(tree, namespace, context, level, severity, sinks, filters);
  }
}

function createEmitter(
  tree: ContextTree,
  namespace: string,
  context: Readonly<Record<string, unknown>> | undefined,
  level: LogLevel,
  severity: number,
  sinks: readonly NamedSink[],
  filters: readonly (LogFilter | undefined)[],
): LogMethod {
  const { diagnostics, now } = tree;
  const count = sinks.length;
  const hasFilters = filters.some(Boolean);

  return (message, payload) => {
    const text = typeof message === 'string' ? message : safeString(message);
    const time = now();
    // Accepted sinks travel as bits of one integer: no allocation on the hot path.
    let accepted = (1 << count) - 1;
    if (hasFilters) {
      const meta: LogEventMeta = { namespace, level, severity, message: text, time };
      for (let i = 0; i < count; i++) {
        const filter = filters[i];
        try {
          if (filter && !filter(meta)) accepted ^= 1 << i;
        } catch (error) {
          accepted ^= 1 << i;
          diagnostics.report(
            `filter-threw:${sinks[i].name}`,
            'a filter threw; event rejected',
            error,
          );
        }
      }
      if (!accepted) return;
    }
    let value = payload;
    if (typeof value === 'function') {
      try {
        value = (value as () => unknown)();
      } catch (error) {
        diagnostics.report('payload-threw', 'a lazy payload threw; logged without it', error);
        value = '[payload function threw]';
      }
    }
    const event: LogEvent = Object.freeze({
      namespace,
      level,
      severity,
      message: text,
      time,
      id: createEventId(),
      payload: value === undefined ? undefined : tree.normalize(value),
      context,
    });
    for (let i = 0; i < count; i++) {
      if (accepted & (1 << i)) {
        try {
          sinks[i].sink.log(event);
        } catch (error) {
          diagnostics.report(
            `sink-threw:${sinks[i].name}`,
            'log() threw; event not delivered to it',
            error,
          );
        }
      }
    }
  };
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return '[unprintable message]';
  }
}
