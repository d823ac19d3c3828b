/** A minimal window/self stand-in: records listeners and dispatches plain event objects. */
export function createFakeEventTarget() {
  const listeners = new Map<string, Set<(event: any) => void>>();
  return {
    addEventListener(type: string, listener: (event: any) => void) {
      if (!listeners.has(type)) listeners.set(type, new Set());
      listeners.get(type)!.add(listener);
    },
    removeEventListener(type: string, listener: (event: any) => void) {
      listeners.get(type)?.delete(listener);
    },
    /** `skipFirst`: that many of the first listeners do not run (the browser cut them short). */
    dispatch(type: string, event: object, skipFirst = 0) {
      for (const listener of [...(listeners.get(type) ?? [])].slice(skipFirst)) listener(event);
    },
    count(type: string) {
      return listeners.get(type)?.size ?? 0;
    },
  };
}
