import type { Diagnostics } from '../core/diagnostics.js';
import type { LogEvent } from '../core/event.js';
import { createEventId } from '../core/eventId.js';
import type { LogFilter } from '../core/filters.js';
import { LOG_LEVELS, LOG_SEVERITY } from '../core/level.js';
import type { LogEventPolicy } from '../core/policy.js';
import type { LogSink } from '../core/sink.js';
import type { LogPayloadProcessor } from '../payload/processor.js';
import { NOOP, type Compilable } from './compile.js';

/** State shared by a root context and all its children. */
export interface ContextTree {
  /** Compiles `member`'s level methods now, and again whenever the policy changes or the tree closes. */
  _add(member: Compilable): void;
  /** Runs the processor, never throwing. */
  _normalize(value: unknown): unknown;
  _flush(): Promise<void>;
  _close(): Promise<void>;
}

/**
 * Creates the shared state of a context tree: its sinks (by the names policy filters address them
 * with), the policy (absent: every sink accepts everything, and no policy code is bundled), and the
 * compiler of level methods, which follows policy changes for every member.
 */
export function createContextTree(
  sinks: readonly (readonly [string, LogSink])[],
  policy: LogEventPolicy | undefined,
  processor: Pick<LogPayloadProcessor, 'process'>,
  { _report: report }: Diagnostics,
  now: () => number,
): ContextTree {
  // Weak, so children made per request can be collected; dead refs are pruned as the set grows.
  const members = new Set<WeakRef<Compilable>>();
  let pruneAt = 64;
  let closing: Promise<void> | undefined;

  const normalize = (value: unknown) => {
    try {
      return processor.process(value);
    } catch (error) {
      report('processor-threw', 'payload processor threw; payload replaced', error);
      return '[unprocessable payload]';
    }
  };

  // A level no sink can accept gets NOOP; sinks decided by a plain threshold get no filter call at
  // all, so only function filters cost anything at log time.
  const compile = (target: Compilable) => {
    const { namespace, context } = target;
    for (const level of LOG_LEVELS) {
      const severity = LOG_SEVERITY[level];
      const names: string[] = [];
      const targets: LogSink[] = [];
      const filters: (LogFilter | false)[] = [];
      for (const [name, sink] of sinks) {
        // Cached by the policy: a map lookup per sink and level, and only when the policy changes.
        const resolved = policy?.resolve(name, namespace);
        const threshold = resolved ? resolved.threshold : 0;
        if (threshold === undefined || severity >= threshold) {
          names.push(name);
          targets.push(sink);
          filters.push(threshold === undefined && resolved!.filter);
        }
      }
      const hasFilters = filters.some(Boolean);
      target[level] =
        closing || !targets.length
          ? NOOP
          : (message, payload) => {
              let text: string;
              try {
                text = typeof message == 'string' ? message : String(message);
              } catch {
                text = '[unprintable message]';
              }
              let time: number;
              try {
                time = now();
              } catch (error) {
                report('clock-threw', 'now() threw; Date.now used', error);
                time = Date.now();
              }
              // Accepted sinks travel as bits of one integer: no allocation on the hot path.
              let accepted = (1 << targets.length) - 1;
              if (hasFilters) {
                const meta = { namespace, level, severity, message: text, time };
                for (let i = 0; i < filters.length; i++) {
                  const filter = filters[i];
                  try {
                    if (filter && !filter(meta)) accepted ^= 1 << i;
                  } catch (error) {
                    accepted ^= 1 << i;
                    report(`filter-threw:${names[i]}`, 'filter threw; event rejected', error);
                  }
                }
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
                payload: payload === undefined ? payload : normalize(payload),
                context,
              });
              // A loop, not forEach: no closure allocated per call on the hot path.
              for (let i = 0; i < targets.length; i++)
                if (accepted & (1 << i))
                  try {
                    targets[i].log(event);
                  } catch (error) {
                    report(`sink-threw:${names[i]}`, 'log() threw', error);
                  }
            };
    }
  };

  const compileAll = () => {
    for (const ref of members) {
      const member = ref.deref();
      if (member) compile(member);
      else members.delete(ref);
    }
  };
  const unsubscribe = policy?.onChange(compileAll);

  const settleAll = (what: 'flush' | 'close') =>
    Promise.all(
      sinks.map(async ([name, sink]) => {
        try {
          await sink[what]?.();
        } catch (error) {
          report(`sink-${what}-failed:${name}`, `${what}() failed`, error);
        }
      }),
    ).then(() => {});

  return {
    _add(member) {
      members.add(new WeakRef(member));
      if (members.size >= pruneAt) {
        for (const ref of members) if (!ref.deref()) members.delete(ref);
        pruneAt = Math.max(64, members.size * 2);
      }
      compile(member);
    },
    _normalize: normalize,
    _flush: () => settleAll('flush'),
    _close() {
      if (!closing) {
        // every method becomes NOOP (compile sees `closing` set) before a sink is flushed
        unsubscribe?.();
        closing = Promise.resolve();
        compileAll();
        closing = settleAll('flush').then(() => settleAll('close'));
      }
      return closing;
    },
  };
}
