import type { AsyncLogSinkStats, DropReason } from './asyncStats.js';
import { totalBytes, type EventQueue, type QueuedEvent } from './eventQueue.js';

/** The counters a delivery loop keeps besides its drops (the stats fields of the same names). */
export type LoopCounts = Pick<
  AsyncLogSinkStats,
  'accepted' | 'delivered' | 'handedOff' | 'retried' | 'exitLeft'
>;

/** The loop state a stats snapshot reads. */
export interface LoopStateView {
  readonly _counts: Readonly<LoopCounts>;
  readonly _drops: Readonly<Record<DropReason, number>>;
  readonly _queue: EventQueue;
  /** The batch out of the queue, if any. */
  readonly _batch: readonly QueuedEvent[] | undefined;
  /** Whether `_batch` is being dispatched (else it waits for its retry and counts as queued). */
  readonly _inFlight: boolean;
  readonly _paused: boolean;
}

/** A fresh {@link AsyncLogSinkStats} object from the loop's state. */
export function statsSnapshot(state: LoopStateView): AsyncLogSinkStats {
  const waitingBatch = state._inFlight ? [] : (state._batch ?? []);
  return {
    ...state._counts,
    dropped: { ...state._drops },
    queuedEvents: state._queue._length() + waitingBatch.length,
    queuedBytes: state._queue._byteSize() + totalBytes(waitingBatch),
    inFlight: state._inFlight ? state._batch!.length : 0,
    paused: state._paused,
  };
}
