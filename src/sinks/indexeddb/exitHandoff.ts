import type { LogEvent } from '../../core/event.js';
import type { BufferEntry, StoredEntry } from './bufferStore.js';
import type { LogBatchTransport } from './drainLoop.js';
import type { MemoryStore } from './memoryStore.js';
import type { Spill, SpillRecord } from './spill.js';

/** What the page holds at exit, and where it can go. */
export interface ExitState {
  /** Events queued but never written (the base sink forgets them once handed off). */
  readonly batch: readonly BufferEntry[];
  /** Events of an IndexedDB write in progress: it may or may not commit before the page dies. */
  readonly writing: readonly BufferEntry[];
  /** The memory tier (non-empty only after a fallback); its events die with the page. */
  readonly memory: MemoryStore;
  /** Memory-tier events up to this key are being uploaded right now. */
  readonly sendingUpToKey: number | undefined;
  readonly transport: LogBatchTransport | undefined;
  readonly spill: Spill;
  /** Ids of maybe-stored events already spilled since the last replay (pagehide and hidden both fire). */
  readonly alreadySpilled: Set<string>;
  /** Takes back beaconed events whose fallback request failed while the page lived on. */
  readonly restore: (events: readonly LogEvent[]) => void;
  readonly report: (kind: string, message: string, error?: unknown) => void;
}

/** What {@link exitHandoff} did. */
export interface ExitResult {
  /** Handed to the transport's exit path (beacon). */
  readonly handed: number;
  /** Written to the spill. */
  readonly spilled: number;
  /** Never-written events that fit neither the beacon nor the spill. */
  readonly lost: number;
}

const asRecord =
  (inFlight: boolean) =>
  (e: BufferEntry): SpillRecord => ({ event: e.event, bytes: e.bytes, inFlight });

/**
 * The synchronous page-exit path. Events that exist only in this page (queued, or in the memory
 * tier) go to the beacon first, oldest first; what the beacon does not take is spilled. Events
 * that may already be stored (an IndexedDB write in flight, memory events being uploaded) are only
 * ever spilled, marked `inFlight` so a replay skips those that did get stored: an event is beaconed
 * or kept, never both, so the next page cannot send it a second time. Events already in IndexedDB
 * are not touched: the next drainer sends them.
 */
export function exitHandoff(s: ExitState): ExitResult {
  const resident = s.memory.peek();
  const upTo = s.sendingUpToKey;
  const sending = upTo === undefined ? [] : resident.filter((e) => e.key <= upTo);
  const idle: StoredEntry[] = upTo === undefined ? resident : resident.filter((e) => e.key > upTo);
  const candidates = [...idle, ...s.batch];
  let handed = 0;
  if (s.transport && candidates.length > 0) {
    try {
      const events = candidates.map((e) => e.event);
      const n = Math.floor(Number(s.transport.sendOnExit(events, s.restore)));
      handed = n > 0 ? Math.min(n, candidates.length) : 0;
    } catch (error) {
      s.report('drain-exit-threw', 'drainTo.sendOnExit threw; spilling instead', error);
    }
  }
  const handedIdle = Math.min(handed, idle.length);
  if (handedIdle > 0) s.memory.removeNow(idle.slice(0, handedIdle));
  const maybeStored = [...s.writing, ...sending, ...idle.slice(handedIdle)]
    .filter((e) => !s.alreadySpilled.has(e.event.id))
    .map(asRecord(true));
  const notStored = s.batch.slice(handed - handedIdle).map(asRecord(false));
  const records = [...maybeStored, ...notStored];
  const { written, dropped } = s.spill.write(records);
  // The spill keeps the newest; count the dropped that existed nowhere else.
  let lost = 0;
  for (let i = 0; i < dropped; i++) if (!records[i].inFlight) lost++;
  for (let i = dropped; i < records.length; i++) {
    if (records[i].inFlight) s.alreadySpilled.add(records[i].event.id);
  }
  if (lost > 0) {
    s.report(
      'spill-overflow',
      `${lost} events fit neither the exit beacon nor the localStorage spill (counted overflow)`,
    );
  }
  return { handed, spilled: written, lost };
}
