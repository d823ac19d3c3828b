import { checkedOptions, configFail, fnOption, intOption } from '../../core/check.js';
import type { LogDiagnosticHandler } from '../../core/diagnostics.js';
import { isLogLevel, LOG_SEVERITY, type LogLevel } from '../../core/level.js';

/**
 * Which held records a trigger releases: `'global'` all of them; `'namespace'` those from the
 * trigger's namespace, its ancestors and its descendants (an error in `shop/cart` releases
 * `shop/cart`, `shop` and `shop/cart/item`, not `shop/search`).
 * @group Sinks
 */
export type FingersCrossedScope = 'global' | 'namespace';

/**
 * Options of {@link fingersCrossed}. All optional; bad values throw `LogConfigError`.
 * @group Sinks
 */
export interface FingersCrossedOptions {
  /**
   * Events at or above this level are forwarded at once and release the held records of their
   * scope before them; events below it are held.
   * @default 'error'
   */
  triggerLevel?: LogLevel;
  /**
   * Most records held; beyond it the oldest is evicted, counted `evicted-unreleased`.
   * @default 200
   */
  maxHeldEvents?: number;
  /**
   * Most estimated bytes held (JSON size of the events); beyond it the oldest are evicted,
   * counted `evicted-unreleased`.
   * @default 262144 (256 KiB)
   */
  maxHeldBytes?: number;
  /**
   * Which held records a trigger releases (see {@link FingersCrossedScope}).
   * @default 'global'
   */
  scope?: FingersCrossedScope;
  /**
   * After a trigger, events of its scope below the trigger level pass straight through for this
   * long (by the events' own `time`), so what follows an error is kept too. 0: hold again at once.
   * @default 10000
   */
  passThroughMs?: number;
  /**
   * Evictions are reported through diagnostics at most once per this many milliseconds.
   * @default 60000
   */
  reportIntervalMs?: number;
  /**
   * Receives the reports.
   * @default `console.warn` as it was when the wrapper was created
   */
  onDiagnostic?: LogDiagnosticHandler;
}

/** Documented defaults of {@link FingersCrossedOptions}. */
export const FINGERS_CROSSED_DEFAULTS = {
  triggerLevel: 'error',
  maxHeldEvents: 200,
  maxHeldBytes: 262144, // 256 KiB
  scope: 'global',
  passThroughMs: 10_000,
  reportIntervalMs: 60_000,
} as const;

const KNOWN_KEYS = [...Object.keys(FINGERS_CROSSED_DEFAULTS), 'onDiagnostic'];
const OWNER = 'fingersCrossed';

/** Options with defaults applied. */
export interface ResolvedFingersCrossedOptions {
  readonly _triggerSeverity: number;
  readonly _maxHeldEvents: number;
  readonly _maxHeldBytes: number;
  readonly _namespaceScope: boolean;
  readonly _passThroughMs: number;
  readonly _reportIntervalMs: number;
  readonly _onDiagnostic: LogDiagnosticHandler | undefined;
}

/**
 * Applies defaults and validates.
 * @throws LogConfigError on an unknown option or a bad value
 */
export function resolveFingersCrossedOptions(
  options: FingersCrossedOptions | undefined,
): ResolvedFingersCrossedOptions {
  const checked = checkedOptions(OWNER, options, KNOWN_KEYS);
  const defaults = FINGERS_CROSSED_DEFAULTS;
  const triggerLevel = checked.triggerLevel ?? defaults.triggerLevel;
  if (!isLogLevel(triggerLevel))
    configFail(OWNER, `\`triggerLevel\` must be a level name, got ${String(triggerLevel)}`);
  const scope = checked.scope ?? defaults.scope;
  if (scope !== 'global' && scope !== 'namespace')
    configFail(OWNER, "`scope` must be 'global' or 'namespace'");
  return {
    _triggerSeverity: LOG_SEVERITY[triggerLevel],
    _maxHeldEvents: intOption(OWNER, checked, 'maxHeldEvents', defaults.maxHeldEvents),
    _maxHeldBytes: intOption(OWNER, checked, 'maxHeldBytes', defaults.maxHeldBytes),
    _namespaceScope: scope === 'namespace',
    _passThroughMs: intOption(OWNER, checked, 'passThroughMs', defaults.passThroughMs, 0),
    _reportIntervalMs: intOption(OWNER, checked, 'reportIntervalMs', defaults.reportIntervalMs, 0),
    _onDiagnostic: fnOption(OWNER, checked, 'onDiagnostic', undefined),
  };
}
