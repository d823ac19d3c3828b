import type { LogEvent } from '../../core/event.js';

// Open windows of the namespace scope kept at once; a new one beyond this replaces the one that
// ends first (dozens of distinct failing namespaces within one window is already a storm).
const MAX_OPEN_WINDOWS = 32;
const SLASH = 47;

/** Whether one namespace is the other, or an ancestor or descendant of it (no allocation). */
export function relatedNamespaces(first: string, second: string): boolean {
  if (first.length > second.length) return relatedNamespaces(second, first);
  // `first` is the shorter one: equal, the root, or a whole-segment prefix of `second`
  return (
    first === '' ||
    (second.startsWith(first) &&
      (first.length === second.length || second.charCodeAt(first.length) === SLASH))
  );
}

/** The pass-through windows a fingers-crossed wrapper opens after each trigger. */
export interface PassThrough {
  /** Which held events a trigger from `namespace` releases (undefined: all). */
  scopeOf(namespace: string): ((event: LogEvent) => boolean) | undefined;
  /** Opens (or extends) the window of a trigger from `namespace` at `time`. */
  open(namespace: string, time: number): void;
  /** Whether `event` falls in an open window of its scope (by its own `time`). */
  covers(event: LogEvent): boolean;
}

/**
 * Creates the pass-through windows: one global window, or one per trigger namespace covering its
 * ancestors and descendants.
 */
export function createPassThrough(namespaceScope: boolean, passThroughMs: number): PassThrough {
  let globalUntil = -Infinity;
  const windowNamespaces: string[] = [];
  const windowEnds: number[] = [];

  if (!namespaceScope)
    return {
      scopeOf: () => undefined,
      open(_namespace, time) {
        globalUntil = Math.max(globalUntil, time + passThroughMs);
      },
      covers: (event) => event.time < globalUntil,
    };

  return {
    scopeOf: (namespace) => (event) => relatedNamespaces(namespace, event.namespace),
    open(namespace, time) {
      const end = time + passThroughMs;
      let slot = windowNamespaces.indexOf(namespace);
      if (slot >= 0) {
        windowEnds[slot] = Math.max(windowEnds[slot]!, end);
        return;
      }
      slot = windowNamespaces.length;
      if (slot >= MAX_OPEN_WINDOWS) {
        slot = 0; // replace the window that ends first (an expired one, if any)
        for (let index = 1; index < windowEnds.length; index++)
          if (windowEnds[index]! < windowEnds[slot]!) slot = index;
      }
      windowNamespaces[slot] = namespace;
      windowEnds[slot] = end;
    },
    covers(event) {
      for (let index = 0; index < windowNamespaces.length; index++)
        if (
          event.time < windowEnds[index]! &&
          relatedNamespaces(windowNamespaces[index]!, event.namespace)
        )
          return true;
      return false;
    },
  };
}
