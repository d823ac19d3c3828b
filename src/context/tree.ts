import type { Diagnostics } from '../core/diagnostics.js';
import type { LogEventPolicy } from '../core/policy.js';
import type { LogPayloadProcessor } from '../payload/processor.js';
import { compileLevelMethods, type Compilable, type EmitterHost } from './compile.js';

/** State shared by a root context and all its children. */
export interface ContextTree extends EmitterHost {
  closed: boolean;
  /** Compiles `member`'s level methods now and again whenever the policy changes. */
  add(member: Compilable): void;
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** Creates the shared state of a context tree; it follows policy changes for all its members. */
export function createContextTree(
  sinks: ContextTree['sinks'],
  policy: LogEventPolicy | undefined,
  processor: Pick<LogPayloadProcessor, 'process'>,
  diagnostics: Diagnostics,
  now: () => number,
): ContextTree {
  // Weak, so children made per request can be collected; dead refs are pruned as the set grows.
  const members = new Set<WeakRef<Compilable>>();
  let pruneAt = 64;
  let closing: Promise<void> | undefined;

  const compileAll = () => {
    for (const ref of members) {
      const member = ref.deref();
      if (member) compileLevelMethods(member, tree);
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
          diagnostics.report(`sink-${what}-failed:${name}`, `${what}() failed`, error);
        }
      }),
    ).then(() => {});

  const tree: ContextTree = {
    sinks,
    policy,
    diagnostics,
    now,
    closed: false,
    add(member) {
      members.add(new WeakRef(member));
      if (members.size >= pruneAt) {
        for (const ref of members) if (!ref.deref()) members.delete(ref);
        pruneAt = Math.max(64, members.size * 2);
      }
      compileLevelMethods(member, tree);
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
        tree.closed = true;
        unsubscribe?.();
        compileAll(); // every method becomes NOOP
        closing = settleAll('flush').then(() => settleAll('close'));
      }
      return closing;
    },
  };
  return tree;
}
