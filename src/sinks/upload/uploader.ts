import type { LogEvent } from '../../core/event.js';
import { assembleBody } from './encoder.js';
import { handOffOnExit, type ExitHandoffParts, type ExitMark } from './exitHandoff.js';
import { jsonEncoder } from './json.js';
import { createKeepaliveBudget } from './keepaliveBudget.js';
import { watchNetwork } from './network.js';
import { otlpEncoder } from './otlp.js';
import {
  KEEPALIVE_FATE_MS,
  startPost,
  windowClosing,
  type PostTarget,
  type StartMark,
} from './post.js';
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
  /** One attempt; `holdCutOff` for the sink's own dispatch (see `KEEPALIVE_FATE_MS`). */
  _send(batch: readonly LogEvent[], holdCutOff?: boolean): Promise<UploadOutcome>;
  /**
   * Whether the latest `_send`, if it was of this very `batch` array, has started its request with
   * keepalive (it outlives the page): false while its body is being compressed, when it went
   * without keepalive, and for any other array.
   */
  _startedKeepalive(batch: readonly LogEvent[]): boolean;
  _sendOnExit(batch: readonly LogEvent[], onFailed?: (events: readonly LogEvent[]) => void): number;
  _exit(batch: readonly LogEvent[]): number;
  _size(event: LogEvent): number;
  _start(): void;
  _stop(): void;
  /** Resolves once every exit request's outcome is known (and any failed one handed back). */
  _settleExit(): Promise<void>;
}

/**
 * After a keepalive request failed without an answer and the page lived on past the hold (Firefox
 * refuses them beyond its own limit, which also counts earlier pages' requests), the normal path
 * sends without keepalive this long.
 */
const KEEPALIVE_REFUSED_MS = 5000;

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
 * @param wait - resolves after `ms` (the sink's timers)
 */
export function createUploader(
  options: ResolvedUploadOptions,
  now: () => number,
  host: UploaderHost,
  wait: (ms: number) => Promise<void>,
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
  // Batches not sent yet (being compressed, or a 413 half waiting for the other half): the exit
  // path sends them, and they are then never sent again (issue 11.2: one hand-off, never two).
  const pending = new Set<readonly LogEvent[]>();
  const sentOnExit = new WeakSet<LogEvent>();
  // Batches in a request without keepalive: left to it at exit (a second send could duplicate
  // them; a buffer sink in front keeps them until acknowledged).
  const withoutKeepalive = new Set<readonly LogEvent[]>();
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
    _wait: wait,
    _settling: new Set(),
  };

  // How far the exit hand-off of the sink's queue got: a later exit skips it (see ExitMark).
  const exitMark: ExitMark = { _keepalive: false };

  let keepaliveRefusedUntil = 0;
  // The latest send's batch and start mark (see Uploader._startedKeepalive).
  let latest: { _batch: readonly LogEvent[]; _mark: StartMark } | undefined;

  /** One POST of `batch`'s body, tracked while it goes without keepalive. */
  const postOnce = (
    data: string | ArrayBuffer,
    headers: Record<string, string>,
    batch: readonly LogEvent[],
    mayKeepalive: boolean,
    mark: StartMark,
  ) => {
    const request = startPost(postTarget, data, headers, mayKeepalive, mark);
    if (!request._keepalive) withoutKeepalive.add(batch);
    return request;
  };

  /** One normal-path POST of `batch`'s body; never rejects. */
  const post = async (
    data: string | ArrayBuffer,
    headers: Record<string, string>,
    batch: readonly LogEvent[],
    holdCutOff: boolean,
    mark: StartMark,
  ): Promise<UploadOutcome> => {
    try {
      const first = postOnce(data, headers, batch, now() >= keepaliveRefusedUntil, mark);
      const outcome = await first._outcome;
      if (!first._keepalive || outcome.ok || outcome.status) return outcome;
      // A keepalive request that failed without an answer may only have been cut off from this
      // page (Chromium rejects it as the page closes, even before pagehide, while the browser
      // still delivers it). Hold the outcome, the batch still in flight: if the page is gone,
      // nothing is sent twice. A buffer sink's drain gets a failure at once unless the window is
      // known to be closing (its exit path then counts the upload as handed off, as for any
      // upload in flight at exit).
      if (!holdCutOff && !windowClosing()) return outcome;
      await wait(KEEPALIVE_FATE_MS);
      if (!holdCutOff || isOffline()) return outcome;
      // The sink's own dispatch and the page lives on: the request really failed (see
      // KEEPALIVE_REFUSED_MS). Send it again now without keepalive, and the next ones for a while.
      keepaliveRefusedUntil = now() + KEEPALIVE_REFUSED_MS;
      return await postOnce(data, headers, batch, false, mark)._outcome;
    } finally {
      withoutKeepalive.delete(batch);
    }
  };

  /** Sends the two halves of a batch answered 413, one after the other. */
  const sendHalves = async (
    batch: readonly LogEvent[],
    holdCutOff: boolean,
  ): Promise<UploadOutcome> => {
    const middle = Math.ceil(batch.length / 2);
    const secondHalf = batch.slice(middle);
    pending.add(secondHalf); // waits for the first half: the exit path sends it if the page exits
    const first = await send(batch.slice(0, middle), holdCutOff);
    pending.delete(secondHalf);
    if (!first.ok) return first;
    const second = await send(secondHalf, holdCutOff);
    if (!second.ok || !first.rejected) return second;
    // Both halves accepted: the receiver's partial rejections add up.
    const rejected = first.rejected + (second.rejected ?? 0);
    return { ...second, rejected, error: second.error ?? first.error };
  };

  /**
   * One delivery attempt of `batch` (both halves after a 413); never rejects.
   * @param holdCutOff - the sink's own dispatch: hold a keepalive request's network failure (see
   *   {@link KEEPALIVE_FATE_MS})
   */
  const send = async (batch: readonly LogEvent[], holdCutOff = false): Promise<UploadOutcome> => {
    const mark: StartMark = { _keepalive: false };
    latest = { _batch: batch, _mark: mark };
    try {
      // What the exit path already sent (the page lived on) is not sent again.
      const unsent = batch.filter((event) => !sentOnExit.has(event));
      if (!unsent.length) return { ok: true, retry: false };
      // No request while the platform knows it is offline: it would only fail.
      if (isOffline()) return { ok: false, retry: true, error: Error('offline') };
      let data: string | ArrayBuffer = assembleBody(encoder, unsent, record);
      const headers: Record<string, string> = {
        'Content-Type': 'application/json',
        ...options._headers,
      };
      if (options._gzip) {
        pending.add(unsent); // being compressed: the exit path sends it if the page exits now
        try {
          data = await gzipped(data);
          headers['Content-Encoding'] = 'gzip';
        } catch (error) {
          report('gzip-unavailable', 'sending uncompressed', error);
        } finally {
          pending.delete(unsent);
        }
        if (unsent.some((event) => sentOnExit.has(event))) return await send(unsent, holdCutOff);
      }
      const outcome = await post(data, headers, unsent, holdCutOff, mark);
      return outcome.status === 413 && unsent.length > 1
        ? await sendHalves(unsent, holdCutOff)
        : outcome;
    } catch (error) {
      return { ok: false, retry: true, error };
    }
  };

  return {
    _send: send,
    _startedKeepalive: (batch) => latest?._batch === batch && latest._mark._keepalive,
    _sendOnExit: (batch, onFailed) => handOffOnExit(exitParts, batch, onFailed),
    _exit(batch) {
      const requeue = (events: readonly LogEvent[]) => host.requeue(events);
      const handedOff = handOffOnExit(exitParts, batch, requeue, exitMark);
      // Batches not sent yet would die with the page: the exit path sends them instead, once.
      for (const events of pending) {
        pending.delete(events);
        const sent = handOffOnExit(exitParts, events);
        events.slice(0, sent).forEach((event) => sentOnExit.add(event));
        if (sent < events.length) report('exit-incomplete', 'a batch not sent yet stays queued');
      }
      // A request without keepalive may or may not reach the receiver now: never a second copy.
      if (withoutKeepalive.size)
        report(
          'exit-in-flight',
          'a batch in a request without keepalive was left to it as the page exited',
        );
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
    _settleExit: async () => {
      while (exitParts._settling.size) await Promise.all(exitParts._settling);
    },
  };
}
