import type { LogEvent } from '../../core/event.js';

/**
 * A ring of held events bounded by count and estimated bytes. Its slots are allocated once, so
 * holding an event allocates nothing; the oldest is evicted when a bound would be passed.
 */
export interface HeldRing {
  /** Events held now. */
  _heldCount(): number;
  /** Their estimated bytes. */
  _heldBytes(): number;
  /**
   * Holds `event`, evicting the oldest as needed.
   * @returns how many events were evicted (the event itself counts when it alone is too big)
   */
  _hold(event: LogEvent, bytes: number): number;
  /**
   * Takes out, oldest first, the held events `matches` accepts (all when it is undefined); the
   * others stay held in their order.
   */
  _take(matches?: (event: LogEvent) => boolean): LogEvent[];
}

/** Creates a {@link HeldRing} of at most `maxEvents` events and `maxBytes` estimated bytes. */
export function createHeldRing(maxEvents: number, maxBytes: number): HeldRing {
  const slots: (LogEvent | undefined)[] = new Array(maxEvents).fill(undefined);
  const sizes = new Float64Array(maxEvents);
  let oldest = 0; // slot index of the oldest held event
  let count = 0;
  let bytes = 0;

  // Slot indexes wrap by a comparison: a modulo by a variable is a division on every event.
  const evictOldest = () => {
    bytes -= sizes[oldest]!;
    slots[oldest] = undefined;
    oldest = oldest + 1 === maxEvents ? 0 : oldest + 1;
    count--;
  };

  // Methods, not getters: V8 gives an object literal with accessors dictionary properties, and
  // `ring._hold` on the hot path was then a generic lookup (fingersCrossed's log() took 418
  // instead of 322 instructions per held event, callgrind, Node 20).
  return {
    _heldCount: () => count,
    _heldBytes: () => bytes,
    _hold(event, size) {
      if (size > maxBytes) return 1; // could never fit: not held, and nothing else evicted for it
      // Full, and the oldest's room is enough: the newest takes the oldest's slot (what a ring
      // that no trigger empties does on every event).
      if (count === maxEvents && bytes - sizes[oldest]! + size <= maxBytes) {
        bytes += size - sizes[oldest]!;
        slots[oldest] = event;
        sizes[oldest] = size;
        oldest = oldest + 1 === maxEvents ? 0 : oldest + 1;
        return 1;
      }
      let evicted = 0;
      while (count === maxEvents || bytes + size > maxBytes) {
        evictOldest();
        evicted++;
      }
      const end = oldest + count;
      const slot = end < maxEvents ? end : end - maxEvents;
      slots[slot] = event;
      sizes[slot] = size;
      count++;
      bytes += size;
      return evicted;
    },
    _take(matches) {
      const taken: LogEvent[] = [];
      let kept = 0;
      let keptBytes = 0;
      for (let index = 0; index < count; index++) {
        const slot = (oldest + index) % maxEvents;
        const event = slots[slot]!;
        const size = sizes[slot]!;
        slots[slot] = undefined;
        if (!matches || matches(event)) {
          taken.push(event);
        } else {
          // compact the kept ones towards the oldest slot, in order
          const keptSlot = (oldest + kept) % maxEvents;
          slots[keptSlot] = event;
          sizes[keptSlot] = size;
          kept++;
          keptBytes += size;
        }
      }
      count = kept;
      bytes = keptBytes;
      return taken;
    },
  };
}
