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
    dispatch(type: string, event: object) {
      for (const listener of [...(listeners.get(type) ?? [])]) listener(event);
    },
    count(type: string) {
      return listeners.get(type)?.size ?? 0;
    },
  };
}
