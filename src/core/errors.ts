/**
 * Thrown at configuration time when an option is invalid; the message says what to change.
 * @group Types
 */
export class LogConfigError extends Error {
  override readonly name: string = 'LogConfigError';
}

/**
 * Thrown by `configureLogSink` when a name is already registered with another descriptor.
 * @group Types
 */
export class LogSinkConflictError extends LogConfigError {
  override readonly name: string = 'LogSinkConflictError';
}
