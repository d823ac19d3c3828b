/**
 * The response fields the upload sink reads.
 * @group Sinks
 */
export interface FetchResponseLike {
  readonly status: number;
  readonly headers?: { get(name: string): string | null };
  arrayBuffer?(): Promise<ArrayBuffer>;
}

/**
 * A `fetch`-compatible function (the global `fetch` fits).
 * @group Sinks
 */
export type FetchLike = (url: string, init: RequestInit) => Promise<FetchResponseLike>;

/**
 * A `navigator.sendBeacon`-compatible function.
 * @group Sinks
 */
export type BeaconLike = (url: string, data: Blob | string) => boolean;

/**
 * The result of one upload attempt. Never thrown; failures are values.
 * @group Sinks
 */
export interface UploadOutcome {
  readonly ok: boolean;
  /** Whether the same batch may succeed later (408, 429, 5xx, network error). */
  readonly retry: boolean;
  /** From `Retry-After`, when the receiver sent one. */
  readonly retryAfterMs?: number;
  readonly status?: number;
  /**
   * Events of an accepted request that the receiver rejected (an OTLP partial success:
   * `partialSuccess.rejectedLogRecords`); `error` then carries its `errorMessage`.
   */
  readonly rejected?: number;
  readonly error?: unknown;
}

/**
 * Parses a `Retry-After` header: delay-seconds (`"120"`) or an HTTP-date
 * (`"Wed, 21 Oct 2015 07:28:00 GMT"`).
 * @param value - the header value, or null when absent
 * @param now - the current time in epoch ms (for the date form)
 * @returns the wait in ms (a past date gives 0), or `undefined` when absent or unreadable
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  const v = value?.trim() ?? '';
  // Only a date has letters (day/month names); `Date.parse('1.5')` would invent a date.
  const at = /^\d+$/.test(v) ? now + +v * 1000 : /[a-z]/i.test(v) ? Date.parse(v) : NaN;
  return at >= 0 ? Math.max(0, at - now) : undefined;
}

/**
 * Reads an OTLP partial success from a 2xx response body:
 * `{"partialSuccess":{"rejectedLogRecords":"N","errorMessage":"…"}}` (the count is an int64, so a
 * decimal string or a number).
 * @param body - the response body as text (anything: only a well-formed partial success counts)
 * @returns the rejected count (> 0) and the receiver's message, or `undefined`
 */
export function partialRejection(
  body: string,
): { readonly _count: number; readonly _message: string } | undefined {
  if (!body.includes('rejectedLogRecords')) return undefined; // the common `{"partialSuccess":{}}`
  try {
    const partial = JSON.parse(body)?.partialSuccess;
    const count = Number(partial?.rejectedLogRecords);
    if (!(Number.isInteger(count) && count > 0)) return undefined;
    return { _count: count, _message: String(partial.errorMessage ?? '') };
  } catch {
    return undefined;
  }
}

/**
 * Classifies an HTTP response: 2xx delivered (with the count of a partial success); 408, 429 and 5xx retryable (with `Retry-After`);
 * 413 and other 4xx final; anything else (opaque, redirects not followed) retryable.
 * @param response - the response
 * @param now - the current time, for an HTTP-date `Retry-After`
 * @param body - the response body as text (for an OTLP partial success)
 */
export function classifyResponse(
  response: FetchResponseLike | undefined,
  now: number,
  body = '',
): UploadOutcome {
  const status = Number(response?.status); // a fake or broken fetch may resolve to anything
  const ok = status >= 200 && status < 300;
  if (ok) {
    const rejection = partialRejection(body);
    return rejection
      ? { ok, retry: false, status, rejected: rejection._count, error: Error(rejection._message) }
      : { ok, retry: false, status };
  }
  const retry = !(status >= 400 && status < 500 && status !== 408 && status !== 429);
  let retryAfterMs;
  try {
    if (retry) retryAfterMs = parseRetryAfter(response!.headers!.get('retry-after'), now);
  } catch {
    // no headers, or a broken headers object: a plain retry, not a throw
  }
  return { ok, retry, status, retryAfterMs };
}
