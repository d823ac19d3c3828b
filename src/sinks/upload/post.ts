import type { KeepaliveBudget } from './keepaliveBudget.js';
import { classifyResponse, type FetchLike, type UploadOutcome } from './transport.js';
import { utf8Length } from './utf8.js';

/**
 * How long the outcome of a keepalive request that failed without an answer is held: a page that
 * is really gone never gets past it; one that lives on retries the batch after it.
 */
export const KEEPALIVE_FATE_MS = 1000;

/** Whether this is a window that `close()` was called on (`window.closed` turns true at once). */
export const windowClosing = () => (globalThis as { closed?: unknown }).closed === true;

/** A POST that was started. */
export interface StartedPost {
  /** Whether `fetch` threw synchronously (the request never started: nothing was handed off). */
  readonly _threwAtOnce: boolean;
  /** Whether it went with `keepalive` (and so survives the page). */
  readonly _keepalive: boolean;
  /** The classified answer; never rejects. */
  readonly _outcome: Promise<UploadOutcome>;
}

/**
 * Where {@link startPost} marks that its request started with keepalive: a plain property written
 * right after `fetch` returned, before any other call (a Firefox tab close over WebDriver BiDi
 * cuts the running script short at a call, and the page's `pagehide` listeners read this mark).
 */
export interface StartMark {
  _keepalive: boolean;
  /** The exit hand-off's (see `ExitMark`): `_through` takes `_sending` once the request started. */
  _sending?: unknown;
  _through?: unknown;
}

/**
 * `sendBeacon` as the sink calls it. The default writes `mark` right after the browser's
 * `sendBeacon` returned true, in the same frame: a closing Firefox tab stops the script at the
 * next call or return (see `ExitMark`).
 */
export type MarkingBeacon = (url: string, data: Blob | string, mark: StartMark) => boolean;

/** What {@link startPost} needs. */
export interface PostTarget {
  readonly _url: string;
  /** `undefined`: the global `fetch`, read at call time (it may be patched or absent). */
  readonly _fetch: FetchLike | undefined;
  readonly _budget: KeepaliveBudget;
  readonly _now: () => number;
}

/**
 * Starts one POST, with `keepalive` while it fits the budget (keepalive lets a request outlive
 * the page, but only within the page's shared 64 KiB). The `fetch` call happens synchronously.
 * @param target - endpoint, fetch and budget
 * @param data - the body
 * @param headers - request headers
 * @param mayKeepalive - `false` sends without keepalive whatever the budget says
 * @param mark - set once `fetch` returned: whether this request went with keepalive
 */
export function startPost(
  target: PostTarget,
  data: string | ArrayBuffer,
  headers: Record<string, string>,
  mayKeepalive = true,
  mark: StartMark = { _keepalive: false },
): StartedPost {
  const bytes = typeof data === 'string' ? utf8Length(data) : data.byteLength;
  const keepalive = mayKeepalive && target._budget._free() >= bytes;
  if (keepalive) target._budget._holdFetch(bytes);
  const release = () => {
    if (keepalive) target._budget._releaseFetch(bytes);
  };
  let response;
  try {
    const init = { method: 'POST', body: data, headers, keepalive };
    // The global `fetch` is called here, not through a wrapper, and the mark written next: a
    // Firefox close cut the script short on a wrapper's way back (1 of 70 traced runs).
    response = target._fetch
      ? target._fetch(target._url, init)
      : (globalThis as unknown as { fetch: FetchLike }).fetch(target._url, init);
    mark._keepalive = keepalive;
    mark._through = mark._sending;
  } catch (error) {
    release();
    return {
      _threwAtOnce: true,
      _keepalive: keepalive,
      _outcome: Promise.resolve({ ok: false, retry: true, error }),
    };
  }
  return { _threwAtOnce: false, _keepalive: keepalive, _outcome: settle(response) };

  async function settle(pending: ReturnType<FetchLike>): Promise<UploadOutcome> {
    try {
      const res = await pending;
      let body = '';
      try {
        // A keepalive request counts against the budget until its body is read to the end; a 2xx
        // body may carry an OTLP partial success.
        const bytes = await res.arrayBuffer!();
        if (res.status >= 200 && res.status < 300) body = new TextDecoder().decode(bytes);
      } catch {
        // no body reader, or an aborted body: it changes nothing about the outcome
      }
      return classifyResponse(res, target._now(), body);
    } catch (error) {
      return { ok: false, retry: true, error };
    } finally {
      release();
    }
  }
}
