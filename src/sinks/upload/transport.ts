import { parseRetryAfter } from './retryAfter.js';

/** The response fields the upload sink reads. */
export interface FetchResponseLike {
  readonly status: number;
  readonly headers?: { get(name: string): string | null };
  arrayBuffer?(): Promise<ArrayBuffer>;
}

/** A `fetch`-compatible function (the global `fetch` fits). */
export type FetchLike = (url: string, init: RequestInit) => Promise<FetchResponseLike>;

/** A `navigator.sendBeacon`-compatible function. */
export type BeaconLike = (url: string, data: Blob | string) => boolean;

/** The result of one upload attempt. Never thrown; failures are values. */
export interface UploadOutcome {
  readonly ok: boolean;
  /** Whether the same batch may succeed later (408, 429, 5xx, network error). */
  readonly retry: boolean;
  /** From `Retry-After`, when the receiver sent one. */
  readonly retryAfterMs?: number;
  readonly status?: number;
  readonly error?: unknown;
}

/**
 * Classifies an HTTP response: 2xx delivered; 408, 429 and 5xx retryable (with `Retry-After`);
 * 413 and other 4xx final; anything else (opaque, redirects not followed) retryable.
 * @param response - the response
 * @param now - the current time, for an HTTP-date `Retry-After`
 */
export function classifyResponse(
  response: FetchResponseLike | undefined,
  now: number,
): UploadOutcome {
  const status = Number(response?.status); // a fake or broken fetch may resolve to anything
  if (status >= 200 && status < 300) return { ok: true, retry: false, status };
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
    return { ok: false, retry: false, status };
  }
  let header: string | null | undefined;
  try {
    header = response?.headers?.get('retry-after');
  } catch {
    header = undefined; // a broken headers object must not turn a retry into a throw
  }
  const retryAfterMs = parseRetryAfter(header, now);
  return retryAfterMs === undefined
    ? { ok: false, retry: true, status }
    : { ok: false, retry: true, status, retryAfterMs };
}

/**
 * Reads the response body to its end. A keepalive request keeps its bytes in the page's budget
 * until the response is complete, not merely until its headers arrive.
 * @param response - the response; errors are ignored
 */
export async function drainBody(response: FetchResponseLike | undefined): Promise<void> {
  try {
    if (typeof response?.arrayBuffer === 'function') await response.arrayBuffer();
  } catch {
    // An aborted or unreadable body changes nothing about the outcome.
  }
}

/** The global `fetch`, read at call time (it may be patched or absent). */
export const globalFetch: FetchLike = (url, init) => globalThis.fetch(url, init);

/** `navigator.sendBeacon` called as a method (detached, it throws "Illegal invocation"). */
export const globalBeacon: BeaconLike = (url, data) => {
  const nav = (globalThis as { navigator?: Navigator }).navigator;
  return typeof nav?.sendBeacon === 'function' ? nav.sendBeacon(url, data) : false;
};
