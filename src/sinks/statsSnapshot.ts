import type { AsyncLogSinkStats, DropReason } from './asyncStats.js';
import { totalBytes, type EventQueue, type QueuedEvent } from './eventQueue.js';

/** The counters a delivery loop keeps besides its drops. */
export interface LoopCounts {
  accepted: number;
  delivered: number;
  handedOff: number;
  retried: number;
  exitLeft: number;
}

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
    accepted: state._counts.accepted,
    delivered: state._counts.delivered,
    handedOff: state._counts.handedOff,
    retried: state._counts.retried,
    dropped: { ...state._drops },
    queuedEvents: state._queue._length() + waitingBatch.length,
    queuedBytes: state._queue._byteSize() + totalBytes(waitingBatch),
    inFlight: state._inFlight ? state._batch!.length : 0,
    exitLeft: state._counts.exitLeft,
    paused: state._paused,
  };
}
