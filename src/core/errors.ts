/** Thrown at configuration time when an option is invalid; the message says what to change. */
export class LogConfigError extends Error {
  override readonly name: string = 'LogConfigError';
}

/** Thrown by `configureLogSink` when a name is already registered with another descriptor. */
export class LogSinkConflictError extends LogConfigError {
  override readonly name: string = 'LogSinkConflictError';
}
