import type { Diagnostics } from '../core/diagnostics.js';
import type { LogEventPolicy } from '../core/policy.js';
import type { LogSink } from '../core/sink.js';
import type { LogPayloadProcessor } from '../payload/processor.js';

/** A sink with the name policy filters address it by. */
export interface NamedSink {
  readonly name: string;
  readonly sink: LogSink;
}

/** Something the tree recompiles when the policy changes or the tree closes. */
interface Recompilable {
  recompile(): void;
}

/** State shared by a root context and all its children. */
export interface ContextTree {
  readonly sinks: readonly NamedSink[];
  readonly policy: LogEventPolicy;
  readonly processor: LogPayloadProcessor;
  readonly diagnostics: Diagnostics;
  readonly now: () => number;
  readonly closed: boolean;
  register(member: Recompilable): void;
  /** Runs the processor, never throwing. */
  normalize(value: unknown): unknown;
  flush(): Promise<void>;
  close(): Promise<void>;
}

interface TreeInit {
  sinks: readonly NamedSink[];
  policy: LogEventPolicy;
  processor: LogPayloadProcessor;
  diagnostics: Diagnostics;
  now: () => number;
}

/** Creates the shared state of a context tree; it follows policy changes for all its members. */
export function createContextTree(init: TreeInit): ContextTree {
  // Weak, so children made per request can be collected; dead refs are pruned as the set grows.
  // Where WeakRef is missing (very old runtimes) members are held strongly.
  const members = new Set<{ deref(): Recompilable | undefined }>();
  const ref =
    typeof WeakRef === 'function'
      ? (m: Recompilable) => new WeakRef(m)
      : (m: Recompilable) => ({ deref: () => m });
  let pruneAt = 64;
  let closed = false;
  let closing: Promise<void> | undefined;
  const { diagnostics, processor } = init;

  const recompileAll = () => {
    for (const r of members) {
      const member = r.deref();
      if (member) member.recompile();
      else members.delete(r);
    }
  };
  const unsubscribe = init.policy.onChange(recompileAll);

  const settleAll = (what: 'flush' | 'close') =>
    Promise.all(
      init.sinks.map(async ({ name, sink }) => {
        try {
          await sink[what]?.();
        } catch (error) {
          diagnostics.report(`sink-${what}-failed:${name}`, `${what}() failed`, error);
        }
      }),
    ).then(() => undefined);

  return {
    ...init,
    get closed() {
      return closed;
    },
    register(member) {
      members.add(ref(member));
      if (members.size >= pruneAt) {
        for (const r of members) if (!r.deref()) members.delete(r);
        pruneAt = Math.max(64, members.size * 2);
      }
    },
    normalize(value) {
      try {
        return processor.process(value);
      } catch (error) {
        diagnostics.report('processor-threw', 'payload processor threw; payload replaced', error);
        return '[unprocessable payload]';
      }
    },
    flush: () => settleAll('flush'),
    close() {
      if (!closing) {
        closed = true;
        unsubscribe();
        recompileAll();
        closing = settleAll('flush').then(() => settleAll('close'));
      }
      return closing;
    },
  };
}
