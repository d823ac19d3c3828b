import { createEventId } from '../core/eventId.js';
import type { LogEvent } from '../core/event.js';
import type { LogFilter } from '../core/filters.js';
import { LOG_LEVELS, LOG_SEVERITY, type LogLevel } from '../core/level.js';
import type { LogEventMeta } from '../core/meta.js';
import type { LogSink } from '../core/sink.js';
import type { ContextTree } from './tree.js';

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
  const thresholds: number[] = [];
  const filters: (LogFilter | null)[] = [];
  for (const { name } of tree.sinks) {
    const resolved = tree.policy.resolve(name, namespace);
    thresholds.push(resolved ? (resolved.threshold ?? 0) : 0);
    filters.push(resolved && resolved.threshold === undefined ? resolved.filter : null);
  }
  for (const level of LOG_LEVELS) {
    const severity = LOG_SEVERITY[level];
    const sinks: LogSink[] = [];
    const names: string[] = [];
    const sinkFilters: (LogFilter | null)[] = [];
    tree.sinks.forEach(({ name, sink }, i) => {
      if (filters[i] !== null || severity >= thresholds[i]) {
        sinks.push(sink);
        names.push(name);
        sinkFilters.push(filters[i]);
      }
    });
    target[level] =
      tree.closed || sinks.length === 0
        ? NOOP
        : createEmitter({
            tree,
            namespace,
            context,
            level,
            severity,
            sinks,
            names,
            filters: sinkFilters,
          });
  }
}

interface EmitterPlan {
  readonly tree: ContextTree;
  readonly namespace: string;
  readonly context: Readonly<Record<string, unknown>> | undefined;
  readonly level: LogLevel;
  readonly severity: number;
  readonly sinks: readonly LogSink[];
  readonly names: readonly string[];
  readonly filters: readonly (LogFilter | null)[];
}

function createEmitter(plan: EmitterPlan): LogMethod {
  const { tree, namespace, context, level, severity, sinks, names, filters } = plan;
  const { diagnostics, now } = tree;
  const count = sinks.length;
  const all = (1 << count) - 1;
  const hasFilters = filters.some((f) => f !== null);

  const deliver = (event: LogEvent, accepted: number) => {
    for (let i = 0; i < count; i++) {
      if ((accepted & (1 << i)) === 0) continue;
      try {
        sinks[i].log(event);
      } catch (error) {
        diagnostics.report(
          `sink-threw:${names[i]}`,
          `sink '${names[i]}' threw from log(); the event was not delivered to it`,
          error,
        );
      }
    }
  };

  return (message, payload) => {
    const text = typeof message === 'string' ? message : safeString(message);
    const time = now();
    let accepted = all;
    if (hasFilters) {
      const meta: LogEventMeta = { namespace, level, severity, message: text, time };
      accepted = 0;
      for (let i = 0; i < count; i++) {
        const filter = filters[i];
        if (filter === null) {
          accepted |= 1 << i;
          continue;
        }
        try {
          if (filter(meta)) accepted |= 1 << i;
        } catch (error) {
          diagnostics.report(
            `filter-threw:${names[i]}`,
            `a filter of sink '${names[i]}' threw; the event was rejected for it`,
            error,
          );
        }
      }
      if (accepted === 0) return;
    }
    let value = payload;
    if (typeof value === 'function') {
      try {
        value = (value as () => unknown)();
      } catch (error) {
        diagnostics.report(
          'payload-threw',
          'a lazy payload function threw; the event was logged without it',
          error,
        );
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
    deliver(event, accepted);
  };
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return '[unprintable message]';
  }
}
