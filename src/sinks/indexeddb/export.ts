import { checkedOptions, configFail, didYouMean, intOption } from '../../core/check.js';
import type { LogEvent } from '../../core/event.js';
import { isLogLevel, LOG_LEVELS, LOG_SEVERITY, type LogLevel } from '../../core/level.js';

/**
 * Options of `IndexedDbSink.export()`: which stored events, in which shape.
 * @group Sinks
 */
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

const OWNER = 'IndexedDbSink.export';
const EXPORT_OPTION_NAMES = ['format', 'since', 'until', 'level', 'namespace', 'limit'];

/** Validated export options. */
export interface ExportFilter {
  /** Return the events as an array (else NDJSON text). */
  _asArray: boolean;
  /** Keep at most this many (the newest). */
  _limit: number;
  _matches: (event: LogEvent) => boolean;
}

/**
 * Validates export options.
 * @throws LogConfigError naming the option on an unknown option name, format or level, a bad time
 *   or limit
 */
export function exportFilter(options?: IndexedDbExportOptions): ExportFilter {
  const checked = checkedOptions(OWNER, options, EXPORT_OPTION_NAMES);
  const { format = 'ndjson', level, namespace = '', limit = Infinity } = checked;
  const fail = (what: string) => configFail(OWNER, what);
  if (format != 'ndjson' && format != 'array') fail("`format` must be 'ndjson' or 'array'");
  // A Date converts to its epoch ms.
  const since = Number(checked.since ?? -Infinity);
  const until = Number(checked.until ?? Infinity);
  if (since !== since || until !== until) fail('`since`/`until` must be epoch ms or a Date');
  if (level !== undefined && !isLogLevel(level))
    fail(`unknown \`level\` ${String(level)}${didYouMean(String(level), LOG_LEVELS)}`);
  if (typeof namespace != 'string') fail('`namespace` must be a string');
  if (limit !== Infinity) intOption(OWNER, checked, 'limit', 0, 0);
  const minSeverity = level ? LOG_SEVERITY[level] : 0;
  return {
    _asArray: format == 'array',
    _limit: limit,
    _matches: (event) =>
      event.time >= since &&
      event.time <= until &&
      event.severity >= minSeverity &&
      (!namespace || event.namespace == namespace || event.namespace.startsWith(`${namespace}/`)),
  };
}
