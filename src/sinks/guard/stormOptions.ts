import { checkedOptions, configFail, fnOption, intOption } from '../../core/check.js';
import type { LogDiagnosticHandler } from '../../core/diagnostics.js';

/**
 * Options of storm protection ({@link stormGuard}, and `UploadSink`'s `stormProtection`).
 * @group Sinks
 */
export interface StormProtectionOptions {
  /**
   * Most events per level per `rateIntervalMs` (a token bucket per level that refills evenly),
   * beyond which events are suppressed, counted `rate-limited`. `false` turns the limit off.
   * @default 3000 (per level per minute, as Datadog caps each status)
   */
  rateLimit?: number | false;
  /**
   * The interval `rateLimit` is counted over.
   * @default 60000 (one minute)
   */
  rateIntervalMs?: number;
  /**
   * How many events of one level may pass at once after a quiet period (the bucket's size); after
   * that they pass at `rateLimit / rateIntervalMs`. Equal to `rateLimit` by default, so a page
   * never sends more than a fixed one-minute window would allow at its start.
   * @default the value of `rateLimit` (3000)
   */
  rateBurst?: number;
  /**
   * Suppress an event identical to the previous one forwarded from its namespace (same level and
   * message) within `duplicateWindowMs`, counted `duplicate-suppressed`; the next event forwarded
   * from that namespace carries `repeated: N` in its `context`. Off by default: payloads of the
   * suppressed copies are not kept.
   * @default false
   */
  suppressDuplicates?: boolean;
  /**
   * After this long since it was last forwarded, an identical event is forwarded again (with
   * `repeated`), so an error repeated every frame still shows up once per window.
   * @default 10000
   */
  duplicateWindowMs?: number;
  /**
   * Suppressions are reported through diagnostics at most once per this many milliseconds per
   * reason.
   * @default 60000
   */
  reportIntervalMs?: number;
  /**
   * Receives the reports.
   * @default the owning sink's diagnostics (`UploadSink`), or `console.warn` as it was when the
   *   guard was created (`stormGuard`)
   */
  onDiagnostic?: LogDiagnosticHandler;
}

/** Documented defaults of {@link StormProtectionOptions}. */
export const STORM_PROTECTION_DEFAULTS = {
  rateLimit: 3000,
  rateIntervalMs: 60_000,
  suppressDuplicates: false,
  duplicateWindowMs: 10_000,
  reportIntervalMs: 60_000,
} as const;

const KNOWN_KEYS = [...Object.keys(STORM_PROTECTION_DEFAULTS), 'rateBurst', 'onDiagnostic'];

/** Storm protection options with defaults applied. */
export interface ResolvedStormOptions {
  /** Events per millisecond a bucket refills with; 0 when the rate limit is off. */
  readonly _refillPerMs: number;
  readonly _rateLimit: number | false;
  readonly _rateIntervalMs: number;
  readonly _rateBurst: number;
  readonly _suppressDuplicates: boolean;
  readonly _duplicateWindowMs: number;
  readonly _reportIntervalMs: number;
  readonly _onDiagnostic: LogDiagnosticHandler | undefined;
}

/**
 * Applies defaults and validates.
 * @param owner - who is configured, for messages (`stormGuard`, `UploadSink.stormProtection`)
 * @throws LogConfigError on an unknown option or a bad value
 */
export function resolveStormOptions(
  owner: string,
  options: StormProtectionOptions | undefined,
): ResolvedStormOptions {
  const checked = checkedOptions(owner, options, KNOWN_KEYS);
  const defaults = STORM_PROTECTION_DEFAULTS;
  const rateLimit =
    checked.rateLimit === false
      ? false
      : intOption(owner, checked, 'rateLimit', defaults.rateLimit);
  const rateIntervalMs = intOption(owner, checked, 'rateIntervalMs', defaults.rateIntervalMs);
  const suppressDuplicates = checked.suppressDuplicates ?? defaults.suppressDuplicates;
  if (typeof suppressDuplicates !== 'boolean')
    configFail(owner, '`suppressDuplicates` must be true or false');
  return {
    _refillPerMs: rateLimit === false ? 0 : rateLimit / rateIntervalMs,
    _rateLimit: rateLimit,
    _rateIntervalMs: rateIntervalMs,
    _rateBurst: intOption(owner, checked, 'rateBurst', rateLimit || 1),
    _suppressDuplicates: suppressDuplicates,
    _duplicateWindowMs: intOption(owner, checked, 'duplicateWindowMs', defaults.duplicateWindowMs),
    _reportIntervalMs: intOption(owner, checked, 'reportIntervalMs', defaults.reportIntervalMs, 0),
    _onDiagnostic: fnOption(owner, checked, 'onDiagnostic', undefined),
  };
}

/**
 * The storm options of an async sink's `stormProtection` option, or undefined when it is off.
 * @param owner - the sink's name, for messages
 * @param value - `true` (the defaults), `false`/undefined (off), or options
 * @throws LogConfigError on a value of another type, an unknown option or a bad value
 */
export function resolveStormProtection(
  owner: string,
  value: boolean | StormProtectionOptions | undefined,
): ResolvedStormOptions | undefined {
  if (value === undefined || value === false) return undefined;
  if (value !== true && (typeof value !== 'object' || value === null))
    configFail(owner, '`stormProtection` must be true, false or an object of options');
  return resolveStormOptions(`${owner}.stormProtection`, value === true ? {} : value);
}
