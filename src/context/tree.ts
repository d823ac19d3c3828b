import type { Diagnostics } from '../core/diagnostics.js';
import type { LogEvent } from '../core/event.js';
import { createEventId } from '../core/eventId.js';
import type { LogFilter } from '../core/filters.js';
import { LOG_LEVELS, LOG_SEVERITY } from '../core/level.js';
import type { LogEventPolicy } from '../core/policy.js';
import { POLICY_HOOKS } from '../core/policyHooks.js';
import type { LogSink } from '../core/sink.js';
import type { LogTraceContext } from '../core/traceContext.js';
import type { LogPayloadProcessor } from '../payload/processor.js';
import { isPayloadValue, mergeNormalizedPair, messageOfValue } from './callArguments.js';
import { NOOP, type Compilable } from './compile.js';

/** State shared by a root context and all its children. */
export interface ContextTree {
  /**
   * Compiles `member`'s level methods now, and again whenever the policy changes or a scope
   * closes. `scope` is the member's own: closing it (or a parent scope) makes it a no-op.
   */
  _add(member: Compilable, scope: ContextScope): void;
  /** Runs the processor, never throwing. */
  _normalize(value: unknown): unknown;
  /** Recompiles every member (after a scope closed). */
  _recompile(): void;
  /** Resolves true when every sink delivered, false when one failed or `timeoutMs` passed first. */
  _flush(timeoutMs?: number): Promise<boolean>;
  _close(): Promise<void>;
}

/** The open/closed state of one context; a child's scope points to its parent's. */
export interface ContextScope {
  _closed: boolean;
  readonly _parent: ContextScope | undefined;
}

/** What a context tree is made of (checked by `sinkSetup.ts` and the context's options). */
export interface ContextTreeSetup {
  /** The sinks, by the names policy filters address them with. */
  readonly _sinks: readonly (readonly [string, LogSink])[];
  /** Absent: every sink accepts everything, and no policy code is bundled. */
  readonly _policy: LogEventPolicy | undefined;
  readonly _processor: Pick<LogPayloadProcessor, 'process'>;
  readonly _diagnostics: Diagnostics;
  readonly _now: () => number;
  /** Reads the current trace, validated; absent when the context has no `traceContext`. */
  readonly _readTrace: (() => LogTraceContext | undefined) | undefined;
}

interface Member {
  readonly _ref: WeakRef<Compilable>;
  readonly _scope: ContextScope;
}

function isClosed(scope: ContextScope | undefined): boolean {
  for (; scope; scope = scope._parent) if (scope._closed) return true;
  return false;
}

/**
 * Events of one tree handed to sinks one inside the other before a further one is dropped: a sink
 * that logs about its own work may nest a level or two; deeper is a sink logging what it is given,
 * which would recurse until the stack overflows.
 */
export const MAX_NESTED_DISPATCH = 4;
const RECURSION_MESSAGE = 'a sink logged through its own context; nested events dropped';

/**
 * Creates the shared state of a context tree: its sinks, the policy, and the compiler of level
 * methods, which follows policy changes for every member.
 */
export function createContextTree(setup: ContextTreeSetup): ContextTree {
  const { _sinks: sinks, _policy: policy, _processor: processor, _now: now } = setup;
  const { _readTrace: readTrace, _diagnostics: diagnostics } = setup;
  const report = diagnostics._report;
  // What only a context with a policy runs comes with the policy (see policyHooks.ts).
  const policyHooks = policy?.[POLICY_HOOKS]();
  // Weak, so children made per request can be collected; dead refs are pruned as the set grows.
  const members = new Set<Member>();
  let pruneAt = 64;
  let closing: Promise<void> | undefined;
  // How many of this tree's events are being handed to sinks right now, one inside the other: a
  // sink that logs through a context of its own tree (directly or through another tree) nests.
  let dispatchDepth = 0;

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
  const compile = (target: Compilable, scope: ContextScope) => {
    const { namespace, context } = target;
    const closed = closing !== undefined || isClosed(scope);
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
      const filterStep = filters.some(Boolean)
        ? policyHooks!._filterStep(filters, names, report)
        : undefined;
      target[level] =
        closed || !targets.length
          ? NOOP
          : (message, payload) => {
              if (dispatchDepth >= MAX_NESTED_DISPATCH) {
                report('log-recursion', RECURSION_MESSAGE);
                return;
              }
              // Forgiving calls: a non-string first argument that is an object is the payload.
              let text: string;
              let valuePayload: object | undefined;
              if (typeof message == 'string') text = message;
              else {
                // An error's message is data: redacted and cut like the payload's copy of it
                // (the processor turns a string into a string).
                text = String(normalize(messageOfValue(message)));
                if (isPayloadValue(message)) valuePayload = message;
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
              if (filterStep) {
                accepted = filterStep(
                  { namespace, level, severity, message: text, time },
                  accepted,
                );
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
              const trace = readTrace?.(); // only for accepted events
              const event: LogEvent = Object.freeze({
                namespace,
                level,
                severity,
                message: text,
                time,
                id: createEventId(),
                payload:
                  valuePayload === undefined
                    ? payload === undefined
                      ? payload
                      : normalize(payload)
                    : payload === undefined
                      ? normalize(valuePayload)
                      : mergeNormalizedPair(normalize([valuePayload, payload])),
                context,
                traceId: trace?.traceId,
                spanId: trace?.spanId,
                traceFlags: trace?.traceFlags,
              });
              // A loop, not forEach: no closure allocated per call on the hot path. Nothing in it
              // throws (each sink is guarded), so the depth needs no finally.
              dispatchDepth++;
              for (let i = 0; i < targets.length; i++)
                if (accepted & (1 << i))
                  try {
                    targets[i].log(event);
                  } catch (error) {
                    report(`sink-threw:${names[i]}`, 'log() threw', error);
                  }
              dispatchDepth--;
            };
    }
  };

  const compileAll = () => {
    for (const member of members) {
      const target = member._ref.deref();
      if (target) compile(target, member._scope);
      else members.delete(member);
    }
  };
  // A filter added later for a sink this context does not have is reported (once per name).
  const sinkNames = sinks.map(([name]) => name);
  const onPolicyChange = () => {
    compileAll();
    for (const unknown of policyHooks!._unknownSinks(sinkNames))
      report(`policy-unknown-sink:${unknown._name}`, unknown._message);
  };
  const unsubscribe = policy?.onChange(onPolicyChange);

  // Resolves true when every sink's flush (or close) resolved without failing or saying false.
  const settleAll = (what: 'flush' | 'close') =>
    Promise.all(
      sinks.map(async ([name, sink]) => {
        try {
          return (await sink[what]?.()) !== false;
        } catch (error) {
          report(`sink-${what}-failed:${name}`, `${what}() failed`, error);
          return false;
        }
      }),
    ).then((delivered) => !delivered.includes(false));

  return {
    _add(target, scope) {
      members.add({ _ref: new WeakRef(target), _scope: scope });
      if (members.size >= pruneAt) {
        for (const member of members) if (!member._ref.deref()) members.delete(member);
        pruneAt = Math.max(64, members.size * 2);
      }
      compile(target, scope);
    },
    _normalize: normalize,
    _recompile: compileAll,
    _flush: (timeoutMs) => withTimeout(settleAll('flush'), timeoutMs),
    _close() {
      if (!closing) {
        // every method becomes NOOP (compile sees `closing` set) before a sink is flushed
        unsubscribe?.();
        closing = Promise.resolve();
        compileAll();
        closing = settleAll('flush').then(() => settleAll('close').then(() => {}));
      }
      return closing;
    },
  };
}

// Timers fire at once beyond this (a 32-bit delay), so a longer timeout means none.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** `settled`, or false when `timeoutMs` passes first (no timeout when undefined or too long). */
function withTimeout(settled: Promise<boolean>, timeoutMs: number | undefined): Promise<boolean> {
  if (typeof timeoutMs != 'number' || !(timeoutMs < MAX_TIMER_MS)) return settled;
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    void settled.then((delivered) => {
      clearTimeout(timer);
      resolve(delivered);
    });
  });
}
