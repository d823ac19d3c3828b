// The only public barrel. Named exports only; nothing here runs at import.
export { LOG_LEVELS, LOG_SEVERITY, isLogLevel } from './core/level.js';
export type { LogLevel } from './core/level.js';
export type { LogEventMeta } from './core/meta.js';
export type { LogEvent } from './core/event.js';
export { createEventId } from './core/eventId.js';
export { LogConfigError, LogSinkConflictError } from './core/errors.js';
export type { LogDiagnostic, LogDiagnosticHandler } from './core/diagnostics.js';
export { minLevel, allow, deny, sample } from './core/filters.js';
export type { LogFilter } from './core/filters.js';
export { LogEventPolicy } from './core/policy.js';
export type { ResolvedFilter, LogFilterEntry, LogEventPolicyOptions } from './core/policy.js';
export type { LogTraceContext, LogTraceContextSource } from './core/traceContext.js';
export { traceContextFromOtel } from './trace/traceContextFromOtel.js';
export type { OtelTraceApiLike } from './trace/traceContextFromOtel.js';
export {
  traceContextFromTraceparent,
  parseTraceparent,
} from './trace/traceContextFromTraceparent.js';
export type { LogSink, LogSinkDescriptor, LogSinkTerminator } from './core/sink.js';
export { LogPayloadProcessor } from './payload/processor.js';
export type { LogPayloadProcessorOptions } from './payload/options.js';
export { LogContext } from './context/logContext.js';
export { createBrowserLogger } from './createBrowserLogger.js';
export type { BrowserLoggerOptions } from './createBrowserLogger.js';
export type { LogContextOptions } from './context/logContext.js';
export type { LogMethod } from './context/compile.js';
export {
  configureLogSink,
  getLogSink,
  listLogSinks,
  closeLogSink,
  resetLogSinks,
} from './sinks/registry.js';
export type { LogSinkClass, ConfigureLogSinkArgs, CloseLogSinkOptions } from './sinks/registry.js';
export { ConsoleSink } from './sinks/consoleSink.js';
export type { ConsoleSinkOptions } from './sinks/consoleSink.js';
export { IndexedDbSink } from './sinks/indexeddb/indexedDbSink.js';
export type { IndexedDbSinkStats } from './sinks/indexeddb/indexedDbSink.js';
export type { IndexedDbSinkOptions } from './sinks/indexeddb/indexedDbOptions.js';
export type { IndexedDbExportOptions } from './sinks/indexeddb/export.js';
export type { LogBatchTransport, LogBatchOutcome } from './sinks/indexeddb/drainLoop.js';
export type { StorageTier } from './sinks/indexeddb/bufferStore.js';
export { AsyncLogSink } from './sinks/asyncSink.js';
export type {
  AsyncLogSinkOptions,
  AsyncLogSinkStats,
  DispatchOutcome,
  DropReason,
  FlushReason,
} from './sinks/asyncSink.js';
export type { PageLifecycle } from './sinks/pageExit.js';
export { UploadSink } from './sinks/upload/uploadSink.js';
export type {
  UploadOutcome,
  UploadEncoding,
  UploadSinkOptions,
} from './sinks/upload/uploadSink.js';
export type { FetchLike, BeaconLike, FetchResponseLike } from './sinks/upload/transport.js';
export type { NetworkStatus } from './sinks/upload/network.js';
export { encodeJsonBatch } from './sinks/upload/json.js';
export { encodeOtlpLogs } from './sinks/upload/otlp.js';
export type { OtlpEncoderOptions } from './sinks/upload/otlp.js';
export { captureErrors } from './capture/captureErrors.js';
export type {
  CaptureErrorsOptions,
  CaptureTarget,
  ErrorEventSource,
} from './capture/captureErrors.js';
export { captureConsole, CONSOLE_METHOD_LEVEL } from './capture/captureConsole.js';
export type { CaptureConsoleOptions, CapturedConsoleMethod } from './capture/captureConsole.js';
export { fingersCrossed } from './sinks/guard/fingersCrossed.js';
export type {
  FingersCrossedSink,
  FingersCrossedStats,
  FingersCrossedDropReason,
  FingersCrossedOptions,
  FingersCrossedScope,
} from './sinks/guard/fingersCrossed.js';
export { stormGuard } from './sinks/guard/stormGuard.js';
export type {
  StormGuardSink,
  StormGuardStats,
  StormSuppressReason,
  StormProtectionOptions,
} from './sinks/guard/stormGuard.js';
