import type { LogEvent } from '../../core/event.js';
import type { AckRecord } from './ackRecord.js';
import { STARTED_KEEPALIVE } from './transport.js';
import type { KeepaliveReporter, LogBatchTransport } from './transport.js';

/** The hand-off of a drainer's upload in flight: see {@link createHandOff}. */
export type HandOff = ReturnType<typeof createHandOff>;

/**
 * Records a stored batch in a keepalive request as handed off (in the acknowledgement record) once
 * its request started, not at exit: if the page goes away, the request outlives it and the next
 * drainer does not send the batch again. An `UploadSink` says whether its request did start with
 * keepalive (see `STARTED_KEEPALIVE`); a request that dies with the page, or never started, is no
 * hand-off (the buffer keeps its batch). One upload in flight at a time.
 * @param acks - the drainer's acknowledgement record
 * @param transport - where the drainer uploads
 */
export function createHandOff(acks: AckRecord, transport: LogBatchTransport) {
  let handedOffIds: string[] | undefined; // recorded as handed off
  let ids: string[] | undefined; // the batch in flight that may be handed off
  let events: LogEvent[] | undefined; // (as given to the transport)

  /** Whether the transport says the request of `batch` started with keepalive. */
  const started = (batch: LogEvent[]) =>
    (transport as KeepaliveReporter)[STARTED_KEEPALIVE]?.(batch);

  return {
    /**
     * Before the upload of a batch that may be handed off (stored, within the keepalive budget,
     * the receiver not known to be down).
     */
    _starting(batchIds: string[], batch: LogEvent[]) {
      ids = batchIds;
      events = batch;
    },
    /** Right after `send()`: records it if its request started (or the transport does not say). */
    _sent() {
      if (ids && started(events!) !== false) acks._add((handedOffIds = ids));
    },
    /**
     * At `pagehide`: records the upload if its request started with keepalive (recorded already:
     * nothing changes). Measured in Firefox (three tabs closing together, 60 traced runs): the close
     * cut the drain task short (no catch or finally ran) after `fetch()` returned and before the
     * record, then ran the `pagehide` listeners as their own task; the next drainer sent the batch
     * again. A transport that does not say so records nothing here. Saves the record again if a
     * save did not complete.
     */
    _pagehide() {
      if (ids && started(events!) === true) acks._add((handedOffIds = ids));
      acks._flush(); // (a save the cut stopped: of this hand-off, or of an acknowledgement)
    },
    /** The upload was answered: whether it was (still) recorded as handed off. Forgets it. */
    _settled(): boolean {
      const handedOff = handedOffIds !== undefined;
      ids = events = handedOffIds = undefined;
      return handedOff;
    },
    /**
     * A page that lives on gives the lock up: its upload in flight is no hand-off (if the upload
     * then failed, the next holder would have deleted its batch unsent); the buffer keeps it.
     */
    _takeBack() {
      if (handedOffIds) acks._remove(handedOffIds);
      ids = events = handedOffIds = undefined;
    },
  };
}
