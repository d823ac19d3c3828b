// What the Collector double saw for one session (`?sid=` of the request URL; a real Collector
// ignores the query string): every request and preflight, and every log record by its
// `log.record.uid`, so a test can count what arrived, what arrived twice and what was refused.
import { otlpProblems } from './otlpConformance.mjs';

/** One log record as the double keeps it (the first copy of each uid). */
export interface ReceivedRecord {
  readonly uid: string;
  /** The string attributes of the record (payload keys, `mvx.namespace`, …). */
  readonly attributes: Readonly<Record<string, string>>;
  readonly body: string;
  readonly traceId?: string;
  readonly spanId?: string;
  readonly flags?: number;
}

/** One request (preflight or POST) as the double answered it. */
export interface SeenRequest {
  readonly method: string;
  /** `?via=` of the URL, when the page labelled the request (exit-path probes). */
  readonly via: string;
  readonly contentType: string;
  readonly contentEncoding: string;
  readonly status: number;
  /** ms since the double started. */
  readonly at: number;
  readonly records: number;
  /** For a refused preflight: why. */
  readonly refusal?: string;
  /** For a preflight: what it asked for. */
  readonly requestHeaders?: string;
}

/** What can go wrong on purpose, per session. */
export type CollectorFault =
  | { readonly mode: 'ok' }
  /** Answer `status` (with `Retry-After` when given) to the next `times` POSTs (default: all). */
  | {
      readonly mode: 'status';
      readonly status: number;
      readonly retryAfter?: string;
      times?: number;
    }
  /** Accept the records at once, answer 200 only after `ms`. */
  | { readonly mode: 'slow'; readonly ms: number }
  /** Accept the records, then reset the connection without an answer (next `times` POSTs). */
  | { readonly mode: 'reset'; times?: number };

export interface SessionCounts {
  /** POSTs to /v1/logs. */
  readonly posts: number;
  readonly preflights: number;
  readonly refusedPreflights: number;
  /** POSTs answered 415. */
  readonly unsupportedMediaType: number;
  /** Records received, copies included. */
  readonly received: number;
  readonly unique: number;
  readonly duplicates: number;
  /** Bodies that a strict OTLP decoder would reject (see otlpConformance.mjs). */
  readonly nonConformant: number;
}

export class CollectorSession {
  readonly requests: SeenRequest[] = [];
  /** Every uid → how many copies arrived. */
  readonly copies = new Map<string, number>();
  readonly records: ReceivedRecord[] = [];
  readonly problems: string[] = [];
  fault: CollectorFault = { mode: 'ok' };

  counts(): SessionCounts {
    const posts = this.requests.filter((r) => r.method === 'POST');
    const preflights = this.requests.filter((r) => r.method === 'OPTIONS');
    const received = [...this.copies.values()].reduce((sum, n) => sum + n, 0);
    return {
      posts: posts.length,
      preflights: preflights.length,
      refusedPreflights: preflights.filter((r) => r.refusal).length,
      unsupportedMediaType: posts.filter((r) => r.status === 415).length,
      received,
      unique: this.copies.size,
      duplicates: received - this.copies.size,
      nonConformant: this.problems.length,
    };
  }

  /** The value of payload key `k` of every unique record (the e2e pages' event keys). */
  keys(): string[] {
    return this.records.map((r) => r.attributes.k ?? '');
  }

  /** Records the log records of a well-formed OTLP/JSON body; returns how many it held. */
  accept(text: string, request: unknown): number {
    const problems = otlpProblems(text);
    if (problems.length) this.problems.push(problems.slice(0, 3).join('; '));
    let count = 0;
    for (const resourceLogs of (request as any)?.resourceLogs ?? [])
      for (const scopeLogs of resourceLogs?.scopeLogs ?? [])
        for (const record of scopeLogs?.logRecords ?? []) {
          count++;
          this.#keep(record);
        }
    return count;
  }

  #keep(record: any) {
    const attributes: Record<string, string> = {};
    for (const attribute of record?.attributes ?? [])
      if (typeof attribute?.value?.stringValue === 'string')
        attributes[attribute.key] = attribute.value.stringValue;
    const uid = attributes['log.record.uid'] ?? `no-uid-${this.records.length}`;
    const copies = (this.copies.get(uid) ?? 0) + 1;
    this.copies.set(uid, copies);
    if (copies > 1) return;
    this.records.push({
      uid,
      attributes,
      body: String(record?.body?.stringValue ?? ''),
      traceId: record?.traceId,
      spanId: record?.spanId,
      flags: record?.flags,
    });
  }
}
