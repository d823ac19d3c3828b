import { gunzipSync } from 'node:zlib';
import type { FetchLike } from '../../src/index.js';

/** One recorded request. */
export interface FetchCall {
  url: string;
  method: string;
  headers: Record<string, string>;
  keepalive: boolean;
  /** The body as text (gunzipped when it was gzip). */
  text: string;
  /** Raw body size in bytes as sent. */
  bytes: number;
}

/** What the fake answers: a status (+ headers, body), or an Error to reject with. */
export type FakeAnswer =
  { status: number; headers?: Record<string, string>; body?: string } | Error;

/**
 * A `fetch` that records requests and answers from `respond` (default 204).
 * @param respond - decides the answer per call (0-based index)
 */
export function createFakeFetch(
  respond: (call: FetchCall, index: number) => FakeAnswer | Promise<FakeAnswer> = () => ({
    status: 204,
  }),
) {
  const calls: FetchCall[] = [];
  const fetch: FetchLike = async (url, init) => {
    const raw = init.body;
    const buf =
      typeof raw === 'string' ? Buffer.from(raw, 'utf8') : Buffer.from(raw as ArrayBuffer);
    const headers = { ...(init.headers as Record<string, string>) };
    const gz = headers['Content-Encoding'] === 'gzip';
    const call: FetchCall = {
      url,
      method: init.method ?? 'GET',
      headers,
      keepalive: init.keepalive === true,
      text: (gz ? gunzipSync(buf) : buf).toString('utf8'),
      bytes: buf.length,
    };
    calls.push(call);
    const answer = await respond(call, calls.length - 1);
    if (answer instanceof Error) throw answer;
    const body = new TextEncoder().encode(answer.body ?? '');
    return {
      status: answer.status,
      headers: new Headers(answer.headers ?? {}),
      arrayBuffer: async () => body.buffer,
    };
  };
  return {
    fetch,
    calls,
    /** Event ids of every request body (either encoding), in send order. */
    ids: () => calls.flatMap((c) => idsOf(c.text)),
  };
}

/** Event ids in a body of either encoding. */
export function idsOf(text: string): string[] {
  const body = JSON.parse(text) as {
    events?: { id: string }[];
    resourceLogs?: {
      scopeLogs: {
        logRecords: { attributes: { key: string; value: { stringValue?: string } }[] }[];
      }[];
    }[];
  };
  if (body.events) return body.events.map((e) => e.id);
  return (body.resourceLogs ?? []).flatMap((rl) =>
    rl.scopeLogs.flatMap((sl) =>
      sl.logRecords.map(
        (r) => r.attributes.find((a) => a.key === 'log.record.uid')?.value.stringValue ?? '',
      ),
    ),
  );
}
