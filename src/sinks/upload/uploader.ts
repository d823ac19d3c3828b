import type { LogEvent } from '../../core/event.js';
import { assembleBody } from './encoder.js';
import { handOffOnExit, type ExitHandoffParts } from './exitHandoff.js';
import { jsonEncoder } from './json.js';
import { createKeepaliveBudget } from './keepaliveBudget.js';
import { watchNetwork } from './network.js';
import { otlpEncoder } from './otlp.js';
import { startPost, type PostTarget } from './post.js';
import type { UploadOutcome } from './transport.js';
import type { ResolvedUploadOptions } from './uploadOptions.js';
import { utf8Length } from './utf8.js';

/** The protected helpers of the `UploadSink` (an `AsyncLogSink`) the uploader calls back into. */
export interface UploaderHost {
  report(kind: string, message: string, error?: unknown): void;
  requeue(events: readonly LogEvent[]): void;
  pause(): void;
  resume(): void;
}

/** What `UploadSink` forwards to. */
export interface Uploader {
  _send(batch: readonly LogEvent[]): Promise<UploadOutcome>;
  _sendOnExit(batch: readonly LogEvent[], onFailed?: (events: readonly LogEvent[]) => void): number;
  _exit(batch: readonly LogEvent[]): number;
  _size(event: LogEvent): number;
  _start(): void;
  _stop(): void;
}

/** Gzips `data` with `CompressionStream` (normal path only: compression is async). */
async function gzipped(data: string): Promise<ArrayBuffer> {
  return new Response(
    new Blob([data]).stream().pipeThrough(new CompressionStream('gzip')),
  ).arrayBuffer();
}

/**
 * The transport of an `UploadSink`: encoding (each record once, cached per event), `fetch` POSTs
 * with `keepalive` while this sink's share of the page's keepalive budget allows, the exit hand-off
 * in beacon chunks, and connectivity.
 * @param options - resolved options
 * @param now - clock in ms
 * @param host - the sink
 */
export function createUploader(
  options: ResolvedUploadOptions,
  now: () => number,
  host: UploaderHost,
): Uploader {
  const report: UploaderHost['report'] = host.report.bind(host);
  const encoder =
    options._encoding === 'otlp'
      ? otlpEncoder({ resource: options._resource, now })
      : jsonEncoder(options._resource);
  const records = new WeakMap<LogEvent, string>();
  const budget = createKeepaliveBudget(options._exitBudgetBytes, now);
  const postTarget: PostTarget = {
    _url: options._url,
    _fetch: options._fetch,
    _budget: budget,
    _now: now,
  };
  // Batches whose request would die with the page (sent without keepalive, being compressed, or
  // waiting for the other half of a 413 split): re-sent by beacon if the page exits meanwhile.
  const unprotected = new Set<readonly LogEvent[]>();
  let unwatchNetwork: (() => void) | undefined;

  /** The event's encoded record, made once (at `log()`) and reused by every attempt. */
  const record = (event: LogEvent) => {
    let encoded = records.get(event);
    if (encoded === undefined) records.set(event, (encoded = encoder._record(event)));
    return encoded;
  };

  const isOffline = () => {
    try {
      return options._network?.isOnline() === false;
    } catch {
      return false;
    }
  };

  const exitParts: ExitHandoffParts = {
    _encoder: encoder,
    _record: record,
    _budget: budget,
    _post: postTarget,
    _beacon: options._beacon,
    _exitContentType: options._exitContentType,
    _maxChunkBytes: options._maxChunkBytes,
    _isOffline: isOffline,
    _report: report,
  };

  /** One normal-path POST of `batch`'s body; never rejects. */
  const post = async (
    data: string | ArrayBuffer,
    headers: Record<string, string>,
    batch: readonly LogEvent[],
  ): Promise<UploadOutcome> => {
    const request = startPost(postTarget, data, headers);
    if (request._keepalive) unprotected.delete(batch);
    else unprotected.add(batch);
    try {
      return await request._outcome;
    } finally {
      unprotected.delete(batch);
    }
  };

  /** Sends the two halves of a batch answered 413, one after the other. */
  const sendHalves = async (batch: readonly LogEvent[]): Promise<UploadOutcome> => {
    const middle = Math.ceil(batch.length / 2);
    const secondHalf = batch.slice(middle);
    unprotected.add(secondHalf); // waits for the first half: re-sent if the page exits meanwhile
    const first = await send(batch.slice(0, middle));
    unprotected.delete(secondHalf);
    if (!first.ok) return first;
    const second = await send(secondHalf);
    if (!second.ok || !first.rejected) return second;
    // Both halves accepted: the receiver's partial rejections add up.
    const rejected = first.rejected + (second.rejected ?? 0);
    return { ...second, rejected, error: second.error ?? first.error };
  };

  const send = async (batch: readonly LogEvent[]): Promise<UploadOutcome> => {
    try {
      if (!batch.length) return { ok: true, retry: false };
      // No request while the platform knows it is offline: it would only fail.
      if (isOffline()) return { ok: false, retry: true, error: Error('offline') };
      let data: string | ArrayBuffer = assembleBody(encoder, batch, record);
      const headers: Record<string, string> = {
        'Content-Type': 'application/json',
        ...options._headers,
      };
      if (options._gzip) {
        unprotected.add(batch); // being compressed, it would die with the page: exit re-sends it
        try {
          data = await gzipped(data);
          headers['Content-Encoding'] = 'gzip';
        } catch (error) {
          report('gzip-unavailable', 'sending uncompressed', error);
        }
      }
      const outcome = await post(data, headers, batch);
      return outcome.status === 413 && batch.length > 1 ? await sendHalves(batch) : outcome;
    } catch (error) {
      return { ok: false, retry: true, error };
    }
  };

  return {
    _send: send,
    _sendOnExit: (batch, onFailed) => handOffOnExit(exitParts, batch, onFailed),
    _exit(batch) {
      const handedOff = handOffOnExit(exitParts, batch, (events) => host.requeue(events));
      // Requests in flight without keepalive die with the page: hand their events off again too
      // (the receiver de-duplicates by event id).
      for (const events of unprotected) {
        unprotected.delete(events);
        if (handOffOnExit(exitParts, events) < events.length)
          report('exit-incomplete', 'in-flight batch not re-sent');
      }
      return handedOff;
    },
    _size: (event) => utf8Length(record(event)) + 1, // + the comma between records
    _start() {
      if (options._network)
        unwatchNetwork = watchNetwork(options._network, isOffline, {
          pause: () => host.pause(),
          resume: () => host.resume(),
        });
    },
    _stop: () => unwatchNetwork?.(),
  };
}
