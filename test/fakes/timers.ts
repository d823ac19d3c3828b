/** Lets every pending promise callback run (one macrotask turn drains the microtask queue). */
export async function settle(turns = 3): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * A manual clock with `setTimeout`/`clearTimeout` on it, for sinks that take them as options.
 * `advance(ms)` moves the clock, running due timers in time order and settling promises between.
 */
export function createFakeTimers(start = 1_700_000_000_000) {
  let now = start;
  let nextId = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const due = (limit: number) => {
    let best: [number, { at: number; fn: () => void }] | undefined;
    for (const entry of timers) {
      if (entry[1].at <= limit && (!best || entry[1].at < best[1].at)) best = entry;
    }
    return best;
  };
  return {
    now: () => now,
    setTimeout: (fn: () => void, ms: number): unknown => {
      const id = nextId++;
      timers.set(id, { at: now + Math.max(0, ms), fn });
      return id;
    },
    clearTimeout: (handle: unknown) => {
      timers.delete(handle as number);
    },
    /** Number of armed timers. */
    pending: () => timers.size,
    /** Time of the earliest armed timer, or undefined. */
    nextAt: () => {
      const d = due(Infinity);
      return d?.[1].at;
    },
    async advance(ms: number): Promise<void> {
      const end = now + ms;
      await settle();
      for (let next = due(end); next; next = due(end)) {
        timers.delete(next[0]);
        now = Math.max(now, next[1].at);
        next[1].fn();
        await settle();
      }
      now = end;
      await settle();
    },
  };
}

/** The return type of {@link createFakeTimers}. */
export type FakeTimers = ReturnType<typeof createFakeTimers>;
