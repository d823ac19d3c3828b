/**
 * The six log levels, lowest first.
 * @group Contexts
 */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

/**
 * A log level name.
 * @group Contexts
 */
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * OpenTelemetry severity numbers of each level (the first number of each OTel range),
 * so events map onto OTLP `severityNumber` without a table.
 * @group Contexts
 */
export const LOG_SEVERITY = {
  trace: 1,
  debug: 5,
  info: 9,
  warn: 13,
  error: 17,
  fatal: 21,
} as const satisfies Record<LogLevel, number>;

/**
 * Whether `value` is one of the six level names.
 * @group Contexts
 */
export function isLogLevel(value: unknown): value is LogLevel {
  return LOG_LEVELS.indexOf(value as LogLevel) >= 0;
}
