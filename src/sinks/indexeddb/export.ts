import type { LogEvent } from '../../core/event.js';
import { LogConfigError } from '../../core/errors.js';
import { isLogLevel, LOG_SEVERITY, type LogLevel } from '../../core/level.js';
import type { TieredStore } from './tieredStore.js';

/** Options of `IndexedDbSink.export()`: which stored events, in which shape. */
export interface IndexedDbExportOptions {
  /**
   * `'ndjson'`: one JSON event per line (each line ends with `\n`); `'array'`: the events.
   * @default 'ndjson'
   */
  format?: 'ndjson' | 'array';
  /** Only events at or after this time (epoch ms or a Date). */
  since?: number | Date;
  /** Only events at or before this time (epoch ms or a Date). */
  until?: number | Date;
  /** Only events at this level or above. */
  level?: LogLevel;
  /** Only events of this namespace or below it (`'app/cart'` matches `'app/cart/items'`). */
  namespace?: string;
  /**
   * At most this many events: the newest that match.
   * @default no limit (the buffer is bounded anyway)
   */
  limit?: number;
}

/** A checked export filter. */
export interface ExportFilter {
  readonly format: 'ndjson' | 'array';
  readonly limit: number;
  readonly matches: (event: LogEvent) => boolean;
}

const time = (v: number | Date | undefined, name: string): number | undefined => {
  if (v === undefined) return undefined;
  const t = v instanceof Date ? v.getTime() : v;
  if (typeof t !== 'number' || Number.isNaN(t)) {
    throw new LogConfigError(`IndexedDbSink.export: ${name} must be epoch milliseconds or a Date`);
  }
  return t;
};

/**
 * Validates export options into a filter.
 * @throws LogConfigError on an unknown format or level, or a bad time or limit
 */
export function exportFilter(options: IndexedDbExportOptions = {}): ExportFilter {
  const format = options.format ?? 'ndjson';
  if (format !== 'ndjson' && format !== 'array') {
    throw new LogConfigError(
      `IndexedDbSink.export: format must be 'ndjson' or 'array', got ${JSON.stringify(format)}`,
    );
  }
  const since = time(options.since, 'since') ?? -Infinity;
  const until = time(options.until, 'until') ?? Infinity;
  if (options.level !== undefined && !isLogLevel(options.level)) {
    throw new LogConfigError(
      `IndexedDbSink.export: unknown level ${JSON.stringify(options.level)}`,
    );
  }
  const floor = options.level === undefined ? 0 : LOG_SEVERITY[options.level];
  const ns = options.namespace ?? '';
  if (typeof ns !== 'string') {
    throw new LogConfigError('IndexedDbSink.export: namespace must be a string');
  }
  const limit = options.limit ?? Infinity;
  if (limit !== Infinity && (!Number.isInteger(limit) || limit < 0)) {
    throw new LogConfigError('IndexedDbSink.export: limit must be a non-negative integer');
  }
  const prefix = ns === '' ? '' : `${ns}/`;
  return {
    format,
    limit,
    matches: (e) =>
      e.time >= since &&
      e.time <= until &&
      e.severity >= floor &&
      (ns === '' || e.namespace === ns || e.namespace.startsWith(prefix)),
  };
}

/** Newline-delimited JSON: one event per line, every line terminated. */
export function toNdjson(events: readonly LogEvent[]): string {
  let out = '';
  for (const e of events) out += `${JSON.stringify(e)}\n`;
  return out;
}

const EXPORT_PAGE_EVENTS = 500; // one read per task keeps a 10 000-event export free of long tasks

/** Reads every tier page by page and keeps the matching events (the newest `limit`). */
export async function collectExport(
  store: TieredStore,
  filter: ExportFilter,
): Promise<string | LogEvent[]> {
  const out: LogEvent[] = [];
  for (const source of store.stores()) {
    let after: number | undefined;
    for (;;) {
      const page = await store.readPage(source, after, EXPORT_PAGE_EVENTS);
      for (const e of page) if (filter.matches(e.event)) out.push(e.event);
      if (page.length === 0) break; // pages are whole chunks: only an empty one means the end
      after = page[page.length - 1].key;
    }
  }
  if (out.length > filter.limit) out.splice(0, out.length - filter.limit);
  return filter.format === 'array' ? out : toNdjson(out);
}
