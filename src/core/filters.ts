import { configFail, didYouMean } from './check.js';
import { isLogLevel, LOG_LEVELS, LOG_SEVERITY, type LogLevel } from './level.js';
import type { LogEventMeta } from './meta.js';

/**
 * Decides whether a sink accepts an event, seeing only its routing subset.
 * @group Policy
 */
export type LogFilter = (meta: LogEventMeta) => boolean;

// A filter that is a plain severity threshold carries it here, so the policy can turn a whole
// namespace's routing into numbers and a context can skip disabled calls without calling anything.
const THRESHOLD: unique symbol = Symbol('mvx-logger.threshold');

type ThresholdFilter = LogFilter & { readonly [THRESHOLD]?: number };

function withThreshold<F extends LogFilter>(filter: F, threshold: number): F {
  (filter as { [THRESHOLD]?: number })[THRESHOLD] = threshold;
  return filter;
}

/** The severity threshold of a level-only filter (`minLevel`, `allow`, `deny`), else `undefined`. */
export function filterThreshold(filter: LogFilter): number | undefined {
  // allow/deny are compared, not tagged: tagging them at import would be a side effect that
  // keeps them in every bundle.
  if (filter === allow) return 0;
  if (filter === deny) return Infinity;
  return (filter as ThresholdFilter)[THRESHOLD];
}

const levelFilters = new Map<LogLevel, LogFilter>();

/**
 * Accepts events of `level` and above.
 * @param level - the lowest level accepted
 * @throws LogConfigError when `level` is not a level name
 * @example policy.setFilter('console', '', minLevel('warn'))
 * @group Policy
 */
export function minLevel(level: LogLevel): LogFilter {
  return levelFilter(level, 'minLevel');
}

/** The shared filter of a level name; `owner` is the call an error names. */
export function levelFilter(level: LogLevel, owner: string): LogFilter {
  if (!isLogLevel(level))
    configFail(
      owner,
      `level name must be one of ${LOG_LEVELS}, got ${typeof level == 'string' ? `'${level}'${didYouMean(level, LOG_LEVELS)}` : typeof level}`,
    );
  let filter = levelFilters.get(level);
  if (!filter) {
    const severity = LOG_SEVERITY[level];
    filter = withThreshold((meta: LogEventMeta) => meta.severity >= severity, severity);
    levelFilters.set(level, filter);
  }
  return filter;
}

/**
 * Accepts every event. Usable as a filter itself or called without arguments for one:
 * `setFilter(sink, path, allow)` and `setFilter(sink, path, allow())` are the same.
 * @group Policy
 */
export function allow(): LogFilter;
export function allow(meta: LogEventMeta): boolean;
export function allow(meta?: LogEventMeta): LogFilter | boolean {
  return meta === undefined ? allow : true;
}

/**
 * Rejects every event. Usable as a filter itself or called without arguments for one.
 * @group Policy
 */
export function deny(): LogFilter;
export function deny(meta: LogEventMeta): boolean;
export function deny(meta?: LogEventMeta): LogFilter | boolean {
  return meta === undefined ? deny : false;
}

/**
 * Accepts a random fraction of events.
 * @param rate - fraction kept, from 0 to 1
 * @param random - source of uniform numbers in [0, 1)
 * @throws LogConfigError when `rate` is not a number in [0, 1]
 * @group Policy
 */
export function sample(rate: number, random: () => number = Math.random): LogFilter {
  // `!(>=)` also catches NaN.
  if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1))
    configFail('sample', 'rate must be a number from 0 to 1');
  if (rate === 1) return allow;
  if (rate === 0) return deny;
  return () => random() < rate;
}
