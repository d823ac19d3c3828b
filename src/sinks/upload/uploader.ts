import type { LogEvent } from '../../core/event.js';
import { assembleBody } from './encoder.js';
import { jsonEncoder } from './json.js';
import { otlpEncoder } from './otlp.js';
import { classifyResponse, type UploadOutcome } from './transport.js';
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
  send(batch: readonly LogEvent[]): Promise<UploadOutcome>;
  sendOnExit(batch: readonly LogEvent[], onFailed?: (events: readonly LogEvent[]) => void): number;
  exit(batch: readonly LogEvent[]): number;
  size(event: LogEvent): number;
  start(): void;
  stop(): void;
}

// A beacon's completion cannot be observed, so its bytes are assumed in flight this long; most
// complete far sooner. An underestimate only makes `sendBeacon` return false, which is handled.
const BEACON_HOLD_MS = 1000;

/**
 * The transport of an `UploadSink`: encoding (each record once, cached per event), `fetch` POSTs
 * with `keepalive` while this sink's share of the page's keepalive budget allows, the exit hand-off
 * in beacon chunks, and connectivity.
 * @param c - resolved options
 * @param now - clock in ms
 * @param host - the sink
 */
export function createUploader(
  c: ResolvedUploadOptions,
  now: () => number,
  host: UploaderHost,
): Uploader {
  const [
    url,
    encoding,
    extraHeaders,
    resource,
    gzip,
    limit,
    type,
    maxChunk,
    fetch,
    beacon,
    network,
  ] = c;
  const report: UploaderHost['report'] = host.report.bind(host);
  const encoder = encoding === 'otlp' ? otlpEncoder({ resource, now }) : jsonEncoder(resource);
  const records = new WeakMap<LogEvent, string>();
  // The budget in use: keepalive fetches until they settle (their response body read to the end),
  // beacons for BEACON_HOLD_MS. Other scripts' requests are invisible; the limit keeps a margin.
  let held = 0;
  let beacons: [until: number, bytes: number][] = [];
  // Batches sent without keepalive (over budget): re-sent by beacon if the page exits meanwhile.
  const unprotected = new Set<readonly LogEvent[]>();
  let unwatch: (() => void) | undefined;
  let threw = false; // the latest post's fetch threw (at once, when read right after the call)

  /** The event's encoded record, made once (at `log()`) and reused by every attempt. */
  const record = (event: LogEvent) => {
    let r = records.get(event);
    if (r === undefined) records.set(event, (r = encoder[1](event)));
    return r;
  };
  const body = (events: readonly LogEvent[]) => assembleBody(encoder, events, record);

  const offline = () => {
    try {
      return network?.isOnline() === false;
    } catch {
      return false;
    }
  };

  /** Keepalive bytes this sink may still put in flight. */
  const room = () => {
    const t = now();
    beacons = beacons.filter(([until]) => until > t);
    return beacons.reduce((a, [, bytes]) => a - bytes, limit - held);
  };

  /** One POST; keepalive while it fits the budget. Never rejects. */
  const post = async (
    data: string | ArrayBuffer,
    headers: Record<string, string>,
    batch?: readonly LogEvent[],
  ): Promise<UploadOutcome> => {
    const bytes = typeof data === 'string' ? utf8Length(data) : data.byteLength;
    // keepalive lets the request outlive the page, but only within the shared 64 KiB budget.
    const keepalive = room() >= bytes;
    if (keepalive) {
      held += bytes;
      unprotected.delete(batch!);
    } else if (batch) unprotected.add(batch);
    try {
      const res = await fetch(url, { method: 'POST', body: data, headers, keepalive });
      try {
        // A keepalive request counts against the budget until its body is read to the end.
        await res.arrayBuffer!();
      } catch {
        // no body reader, or an aborted body: it changes nothing about the outcome
      }
      return classifyResponse(res, now());
    } catch (error) {
      threw = true;
      return { ok: false, retry: true, error };
    } finally {
      if (keepalive) held -= bytes;
      unprotected.delete(batch!);
    }
  };

  const send = async (batch: readonly LogEvent[]): Promise<UploadOutcome> => {
    try {
      if (!batch.length) return { ok: true, retry: false };
      // No request while the platform knows it is offline: it would only fail.
      if (offline()) return { ok: false, retry: true, error: Error('offline') };
      let data: string | ArrayBuffer = body(batch);
      const headers: Record<string, string> = {
        'Content-Type': 'application/json',
        ...extraHeaders,
      };
      if (gzip) {
        unprotected.add(batch); // being compressed, it would die with the page: exit re-sends it
        try {
          // Normal path only: compression is async, and exit hand-offs cannot wait.
          data = await new Response(
            new Blob([data]).stream().pipeThrough(new CompressionStream('gzip')),
          ).arrayBuffer();
          headers['Content-Encoding'] = 'gzip';
        } catch (e) {
          report('gzip-unavailable', 'sending uncompressed', e);
        }
      }
      const outcome = await post(data, headers, batch);
      if (outcome.status === 413 && batch.length > 1) {
        const mid = Math.ceil(batch.length / 2);
        const rest = batch.slice(mid);
        unprotected.add(rest); // waits for the first half: re-sent if the page exits meanwhile
        const first = await send(batch.slice(0, mid));
        unprotected.delete(rest);
        return first.ok ? await send(rest) : first;
      }
      return outcome;
    } catch (error) {
      return { ok: false, retry: true, error };
    }
  };

  const sendOnExit = (
    batch: readonly LogEvent[],
    onFailed?: (events: readonly LogEvent[]) => void,
  ) => {
    let sent = 0;
    try {
      while (sent < batch.length && !offline()) {
        const free = Math.min(room(), maxChunk);
        let bytes = utf8Length(encoder[0] + encoder[2]) - 1;
        let end = sent;
        for (let b; end < batch.length; end++) {
          b = bytes + utf8Length(record(batch[end])) + 1; // + the comma
          if (b > free) break;
          bytes = b;
        }
        if (end === sent) break; // not even the oldest event fits what is left of the budget
        const chunk = batch.slice(sent, end);
        const data = body(chunk);
        let error;
        try {
          // false = the browser did not queue it (budget exhausted, blocked): never assume delivery.
          if (beacon?.(url, new Blob([data], { type })) === true) {
            beacons.push([now() + BEACON_HOLD_MS, bytes]);
            sent = end;
            continue;
          }
        } catch (e) {
          error = e;
        }
        if (beacon) report('beacon-refused', 'using keepalive fetch', error);
        threw = false;
        // The fetch starts now, synchronously; only its outcome comes later.
        const request = post(data, { 'Content-Type': type });
        if (threw) break; // the fetch threw at once: not handed off
        sent = end;
        request
          .then((r) => {
            if (!r.ok) {
              report('exit-upload-failed', `exit upload failed (${r.status})`, r.error);
              if (r.retry) onFailed?.(chunk); // taken back while the page lives on
            }
          })
          .catch((e: unknown) => report('exit-failed', 'exit hand-off failed', e));
      }
    } catch (e) {
      report('exit-failed', 'exit hand-off failed', e);
    }
    return sent;
  };

  return {
    send,
    sendOnExit,
    exit(batch) {
      const n = sendOnExit(batch, (events) => host.requeue(events));
      // Requests in flight without keepalive die with the page: hand their events off again too
      // (the receiver de-duplicates by event id).
      for (const events of unprotected) {
        unprotected.delete(events);
        if (sendOnExit(events) < events.length)
          report('exit-incomplete', 'in-flight batch not re-sent');
      }
      return n;
    },
    size: (event) => utf8Length(record(event)) + 1, // + the comma between records
    start() {
      if (!network) return;
      // One listener for both events: the state decides (offline pauses, online resumes).
      const update = () => (offline() ? host.pause() : host.resume());
      const each = (method: 'addEventListener' | 'removeEventListener') => () => {
        network[method]('online', update);
        network[method]('offline', update);
      };
      if (offline()) host.pause();
      each('addEventListener')();
      unwatch = each('removeEventListener');
    },
    stop: () => unwatch?.(),
  };
}
