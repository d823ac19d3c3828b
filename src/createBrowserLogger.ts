// The recommended setup in one call. Its own module, imported by nothing else in the SDK: an app
// that does not call it bundles none of the IndexedDB and upload code it wires.
import { captureErrors as installCaptureErrors } from './capture/captureErrors.js';
import { checkedOptions, configFail } from './core/check.js';
import type { LogDiagnosticHandler } from './core/diagnostics.js';
import { isLogLevel, LOG_LEVELS, type LogLevel } from './core/level.js';
import { LogEventPolicy } from './core/policy.js';
import type { LogSink } from './core/sink.js';
import { LogContext } from './context/logContext.js';
import { ConsoleSink } from './sinks/consoleSink.js';
import { IndexedDbSink } from './sinks/indexeddb/indexedDbSink.js';
import { UploadSink, type UploadEncoding } from './sinks/upload/uploadSink.js';

/**
 * Options of {@link createBrowserLogger}.
 * @group Contexts
 */
export interface BrowserLoggerOptions {
  /**
   * The root namespace, e.g. your app's reverse domain name.
   * @default '' (the root)
   */
  namespace?: string;
  /**
   * Where to upload events (`UploadSink`'s `url`). Given, events go through an `IndexedDbSink`
   * (sink name `upload`) that drains to an `UploadSink`, so they survive tab close, offline and
   * crashes; absent, events only go to the console.
   * @default none: console only
   */
  url?: string;
  /**
   * The upload body format (`UploadSink`'s `encoding`).
   * @default 'json'
   */
  encoding?: UploadEncoding;
  /** Resource attributes of every upload, e.g. `{ 'service.name': 'shop-web' }` (`UploadSink`'s `resource`). */
  resource?: Record<string, unknown>;
  /**
   * The lowest level written to the console (sink name `console`).
   * @default 'info'
   */
  consoleLevel?: LogLevel;
  /**
   * The lowest level uploaded (sink name `upload`).
   * @default 'info'
   */
  uploadLevel?: LogLevel;
  /**
   * Whether uncaught errors and unhandled rejections are logged (through the child context
   * `errors`, with `captureErrors`); `close()` uninstalls it.
   * @default false
   */
  captureErrors?: boolean;
  /**
   * Receives the SDK's failure reports, the sinks' included.
   * @default `console.warn`
   */
  onDiagnostic?: LogDiagnosticHandler;
}

const OWNER = 'createBrowserLogger';
const BROWSER_LOGGER_OPTIONS = [
  'namespace',
  'url',
  'encoding',
  'resource',
  'consoleLevel',
  'uploadLevel',
  'captureErrors',
  'onDiagnostic',
];

/**
 * A `LogContext` wired the recommended way: a `ConsoleSink`, and, when `url` is given, an
 * `IndexedDbSink` draining to an `UploadSink`; a policy from the two levels; `captureErrors` when
 * asked. Its root `close()` flushes and closes everything (and uninstalls the error capture).
 *
 * @param options - see {@link BrowserLoggerOptions}
 * @throws LogConfigError when an option is invalid
 * @example
 * const log = createBrowserLogger({ namespace: 'com.acme.shop', url: '/v1/logs', encoding: 'otlp' });
 * log.child('checkout').info('order placed', { orderId: 'o-17' });
 * @group Contexts
 */
export function createBrowserLogger(options?: BrowserLoggerOptions): LogContext {
  const checked = checkedOptions(OWNER, options, BROWSER_LOGGER_OPTIONS);
  const { url, encoding, resource, onDiagnostic } = checked;
  const consoleLevel = levelOption(checked.consoleLevel, 'consoleLevel');
  const uploadLevel = levelOption(checked.uploadLevel, 'uploadLevel');
  const capture = checked.captureErrors ?? false;
  if (typeof capture != 'boolean') configFail(OWNER, '`captureErrors` must be a boolean');
  if (url !== undefined && (typeof url != 'string' || !url))
    configFail(OWNER, '`url` must be a non-empty string');

  const sinks: Record<string, LogSink> = { console: new ConsoleSink() };
  const policy = new LogEventPolicy().setFilter('console', '', consoleLevel);
  if (url !== undefined) {
    // Each sink gets the handler itself too (not only through the context), so their reports
    // reach it whatever they support.
    const upload = new UploadSink({ url, encoding, resource, onDiagnostic });
    sinks.upload = new IndexedDbSink({ drainTo: upload, onDiagnostic });
    policy.setFilter('upload', '', uploadLevel);
  }
  const log = new LogContext({ namespace: checked.namespace, sinks, policy, onDiagnostic });
  if (capture) {
    const uninstall = installCaptureErrors(log.child('errors'));
    const closeTree = log.close.bind(log);
    // The root's close() also uninstalls the capture (an own property over the class method).
    log.close = () => {
      uninstall();
      return closeTree();
    };
  }
  return log;
}

function levelOption(value: unknown, key: string): LogLevel {
  if (value === undefined) return 'info';
  if (!isLogLevel(value)) configFail(OWNER, `\`${key}\` must be one of ${LOG_LEVELS.join(', ')}`);
  return value;
}
