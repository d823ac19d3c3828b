import type { LogEvent } from '../../core/event.js';
import { assembleBody, type BatchEncoder } from './encoder.js';
import type { KeepaliveBudget } from './keepaliveBudget.js';
import { KEEPALIVE_FATE_MS, startPost, type MarkingBeacon, type PostTarget } from './post.js';
import { utf8Length } from './utf8.js';

/** What the exit hand-off of an `UploadSink` works with. */
export interface ExitHandoffParts {
  readonly _encoder: BatchEncoder;
  /** The event's cached record. */
  readonly _record: (event: LogEvent) => string;
  readonly _budget: KeepaliveBudget;
  readonly _post: PostTarget;
  readonly _beacon: MarkingBeacon | undefined;
  readonly _exitContentType: string;
  /** The largest chunk (one batch). */
  readonly _maxChunkBytes: number;
  readonly _isOffline: () => boolean;
  readonly _report: (kind: string, message: string, error?: unknown) => void;
  /** Resolves after `ms` (the sink's timers). */
  readonly _wait: (ms: number) => Promise<void>;
  /** Exit requests whose outcome is not handled yet (`close()` waits for them). */
  readonly _settling: Set<Promise<void>>;
}

/**
 * How far the exit hand-off of the queue got, kept across exits. Firefox closing a tab stops the
 * page's script at the first function call or return after `sendBeacon` (the beacon itself
 * triggers it), and still runs the later exit listeners: the sink's `pagehide` listener stopped
 * before the queue learnt of the hand-off, and `visibilitychange` beaconed the same events again.
 * So each start is written here before the default transports return (`startPost` calls the
 * global `fetch` itself; a transport given as an option: right after it returns), and the next exit skips what was reached. A stop before the
 * mark (a page's own `sendBeacon` wrapper) leaves the chunk unmarked: it is sent again (a possible
 * duplicate), since whether the browser took it is then unknown and skipping it could lose it.
 */
export interface ExitMark {
  /** Written by `startPost` (whether its request went with keepalive). */
  _keepalive: boolean;
  /** The last event of the chunk whose request is being started. */
  _sending?: LogEvent;
  /** The last event of the latest chunk whose request started (`undefined`: none to skip). */
  _through?: LogEvent;
}

/** The longest run of `batch` from `start` whose body fits `freeBytes`. */
interface ExitChunk {
  /** One past the chunk's last event (`start` when not even one fits). */
  readonly _end: number;
  /** The chunk's body bytes. */
  readonly _bytes: number;
}

function fitChunk(
  parts: ExitHandoffParts,
  batch: readonly LogEvent[],
  start: number,
  freeBytes: number,
): ExitChunk {
  const envelope = parts._encoder._open + parts._encoder._close;
  let bytes = utf8Length(envelope) - 1; // each record adds its comma; the first has none
  let end = start;
  for (; end < batch.length; end++) {
    const withRecord = bytes + utf8Length(parts._record(batch[end])) + 1;
    if (withRecord > freeBytes) break;
    bytes = withRecord;
  }
  return { _end: end, _bytes: bytes };
}

/** Sends one chunk by beacon; `true` when the browser queued it (then marked at once). */
function sendBeacon(parts: ExitHandoffParts, data: string, bytes: number, mark: ExitMark): boolean {
  let error;
  try {
    const blob = new Blob([data], { type: parts._exitContentType });
    // false = the browser did not queue it (budget exhausted, blocked): never assume delivery.
    if (parts._beacon?.(parts._post._url, blob, mark) === true) {
      mark._through = mark._sending; // for a sendBeacon given as an option
      parts._budget._holdBeacon(bytes);
      return true;
    }
  } catch (thrown) {
    error = thrown;
  }
  if (parts._beacon) parts._report('beacon-refused', 'using keepalive fetch', error);
  return false;
}

/**
 * Synchronous exit hand-off, oldest first, in chunks that each fit the keepalive budget still
 * free: `sendBeacon` first, a keepalive `fetch` when the beacon is refused or missing. Stops at the
 * first chunk that does not fit, at a fetch that throws at once, and while offline.
 * @param parts - encoder, budget and transports
 * @param batch - the events, oldest first
 * @param onFailed - receives a chunk whose fallback fetch later failed (retryable)
 * @param mark - the sink queue's: what an earlier exit reached is skipped (and counted as
 *   handed off), and what this one reaches is written down (see {@link ExitMark})
 * @returns how many events from the front were handed off
 */
export function handOffOnExit(
  parts: ExitHandoffParts,
  batch: readonly LogEvent[],
  onFailed?: (events: readonly LogEvent[]) => void,
  mark: ExitMark = { _keepalive: false },
): number {
  // What an earlier exit reached (none: -1 + 1); events are never undefined.
  let handedOff = batch.indexOf(mark._through!) + 1;
  try {
    while (handedOff < batch.length && !parts._isOffline()) {
      const freeBytes = Math.min(parts._budget._free(), parts._maxChunkBytes);
      const chunk = fitChunk(parts, batch, handedOff, freeBytes);
      if (chunk._end === handedOff) break; // not even the oldest event fits what is left
      const events = batch.slice(handedOff, chunk._end);
      const data = assembleBody(parts._encoder, events, parts._record);
      mark._sending = batch[chunk._end - 1];
      if (sendBeacon(parts, data, chunk._bytes, mark)) {
        handedOff = chunk._end;
        continue;
      }
      // The fetch starts now, synchronously; only its outcome comes later.
      const headers = { 'Content-Type': parts._exitContentType };
      const request = startPost(parts._post, data, headers, true, mark);
      if (request._threwAtOnce) break; // not handed off
      handedOff = chunk._end;
      const settled: Promise<void> = request._outcome
        .then(async (outcome) => {
          if (outcome.ok) return;
          // Without an answer it may only have been cut off from this closing page while the
          // browser still delivers it: taken back only if the page is still here after a while.
          if (outcome.retry && !outcome.status) await parts._wait(KEEPALIVE_FATE_MS);
          parts._report(
            'exit-upload-failed',
            `exit upload failed (${outcome.status})`,
            outcome.error,
          );
          if (!outcome.retry) return;
          // Taken back while the page lives on: no longer skipped by a later exit.
          if (events.includes(mark._through!)) mark._through = undefined;
          onFailed?.(events);
        })
        .catch((error: unknown) => parts._report('exit-failed', 'exit hand-off failed', error))
        .finally(() => parts._settling.delete(settled));
      parts._settling.add(settled);
    }
  } catch (error) {
    parts._report('exit-failed', 'exit hand-off failed', error);
  }
  return handedOff;
}
