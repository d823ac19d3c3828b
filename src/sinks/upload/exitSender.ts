import type { LogEvent } from '../../core/event.js';
import type { BatchEncoder } from './encoder.js';
import type { KeepaliveBudget } from './keepaliveBudget.js';
import { classifyResponse, drainBody, type BeaconLike, type FetchLike } from './transport.js';
import { utf8Length } from './utf8.js';

/** What the exit path needs from its sink. */
export interface ExitContext {
  readonly url: string;
  readonly encoder: BatchEncoder;
  readonly budget: KeepaliveBudget;
  readonly maxChunkBytes: number;
  readonly contentType: string;
  readonly beacon: BeaconLike | undefined;
  readonly fetch: FetchLike;
  recordOf(event: LogEvent): string;
  now(): number;
  report(kind: string, message: string, error?: unknown): void;
}

/**
 * Hands `batch` off synchronously, oldest first, in chunks that each fit the keepalive budget still
 * free: `sendBeacon` first (its boolean result is checked), a keepalive `fetch` when the beacon is
 * refused or missing. Stops at the first chunk that cannot go.
 * @param ctx - the sink's exit context
 * @param batch - the events, oldest first
 * @param onFailed - receives events whose fallback fetch failed later with a retryable outcome
 * @returns how many events from the front were handed off
 */
export function sendChunksOnExit(
  ctx: ExitContext,
  batch: readonly LogEvent[],
  onFailed?: (events: readonly LogEvent[]) => void,
): number {
  const { encoder } = ctx;
  const envelope = utf8Length(encoder.open) + utf8Length(encoder.close);
  let sent = 0;
  while (sent < batch.length) {
    const room = Math.min(ctx.budget.remaining(), ctx.maxChunkBytes);
    const records: string[] = [];
    let bytes = envelope;
    for (let i = sent; i < batch.length; i++) {
      const record = ctx.recordOf(batch[i]);
      const size = utf8Length(record) + (records.length ? 1 : 0); // the comma
      if (bytes + size > room) break;
      records.push(record);
      bytes += size;
    }
    if (!records.length) break; // not even the oldest event fits what is left of the budget
    const body = encoder.open + records.join(',') + encoder.close;
    const chunk = batch.slice(sent, sent + records.length);
    if (!postOnExit(ctx, body, bytes, chunk, onFailed)) break;
    sent += records.length;
  }
  return sent;
}

function postOnExit(
  ctx: ExitContext,
  body: string,
  bytes: number,
  chunk: readonly LogEvent[],
  onFailed?: (events: readonly LogEvent[]) => void,
): boolean {
  if (ctx.beacon) {
    try {
      const data = typeof Blob === 'function' ? new Blob([body], { type: ctx.contentType }) : body;
      // false = the browser did not queue it (budget exhausted, blocked): never assume delivery.
      if (ctx.beacon(ctx.url, data) === true) {
        ctx.budget.holdBeacon(bytes);
        return true;
      }
      ctx.report('beacon-refused', 'sendBeacon returned false; trying a keepalive fetch');
    } catch (e) {
      ctx.report('beacon-threw', 'sendBeacon threw; trying a keepalive fetch', e);
    }
  }
  const release = ctx.budget.holdFetch(bytes);
  const failed = (kind: string, message: string, error?: unknown) => {
    release();
    ctx.report(kind, message, error);
    try {
      onFailed?.(chunk);
    } catch (e) {
      ctx.report('exit-requeue-failed', 'could not take back events of a failed exit upload', e);
    }
  };
  try {
    const request = ctx.fetch(ctx.url, {
      method: 'POST',
      body,
      headers: { 'Content-Type': ctx.contentType },
      keepalive: true,
    });
    Promise.resolve(request).then(
      async (res) => {
        await drainBody(res);
        const outcome = classifyResponse(res, ctx.now());
        if (outcome.ok || !outcome.retry) release();
        if (outcome.ok) return;
        if (outcome.retry) failed('exit-fetch-failed', `exit upload failed (${outcome.status})`);
        else ctx.report('exit-rejected', `exit upload rejected (${outcome.status})`);
      },
      (error: unknown) => failed('exit-fetch-failed', 'keepalive fetch on exit failed', error),
    );
    return true;
  } catch (e) {
    release();
    ctx.report('exit-fetch-failed', 'keepalive fetch on exit threw', e);
    return false;
  }
}
