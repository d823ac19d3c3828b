import { originalConsoleMethod } from '../core/diagnostics.js';
import { LogConfigError } from '../core/errors.js';
import type { LogEvent } from '../core/event.js';
import type { LogLevel } from '../core/level.js';
import type { LogSink, LogSinkDescriptor, LogSinkTerminator } from '../core/sink.js';

/** Options of {@link ConsoleSink}. */
export interface ConsoleSinkOptions {
  /**
   * `'pretty'`: `[namespace] message` with payload and context as inspectable objects;
   * `'json'`: one JSON line per event (for log collectors that scrape the console).
   * @default 'pretty'
   */
  format?: 'pretty' | 'json';
  /**
   * The console to write to; its methods are captured at construction, before any patching.
   * @default globalThis.console
   */
  console?: Console;
}

// `console.trace` would print a stack trace for every trace event; debug is what devtools filter by.
const METHOD_OF = {
  trace: 'debug',
  debug: 'debug',
  info: 'info',
  warn: 'warn',
  error: 'error',
  fatal: 'error',
} as const satisfies Record<LogLevel, 'debug' | 'info' | 'warn' | 'error'>;

type Write = (...args: unknown[]) => void;

/**
 * Writes events to the console: the level picks the console method, the namespace is shown and the
 * payload is passed as an object devtools can expand. Synchronous.
 *
 * @example
 * new LogContext({ namespace: 'app', sinks: { console: new ConsoleSink() } }).info('ready', { ms: 42 });
 */
export class ConsoleSink implements LogSink {
  private readonly format: 'pretty' | 'json';
  private readonly write: Record<'debug' | 'info' | 'warn' | 'error', Write>;
  private closed = false;

  /** @throws LogConfigError on an unknown format or a console without methods */
  constructor(options: ConsoleSinkOptions = {}) {
    const format = options.format ?? 'pretty';
    const target = options.console ?? (globalThis as { console?: Console }).console;
    if (
      (format !== 'pretty' && format !== 'json') ||
      (options.console !== undefined && (typeof target !== 'object' || target === null))
    ) {
      throw new LogConfigError("ConsoleSink: format must be 'pretty' or 'json', console a Console");
    }
    this.format = format;
    const write = {} as Record<'debug' | 'info' | 'warn' | 'error', Write>;
    for (const name of ['debug', 'info', 'warn', 'error'] as const)
      write[name] = originalConsoleMethod(name, target);
    this.write = write;
  }

  /** Registry identity: one console per format. */
  static buildDescriptor(options: ConsoleSinkOptions = {}): LogSinkDescriptor {
    return {
      sinkType: 'console',
      resourceKey: ['console'],
      configKey: [options.format ?? 'pretty'],
    };
  }

  /** Registry factory. */
  static create(options: ConsoleSinkOptions = {}): [ConsoleSink, LogSinkTerminator] {
    const sink = new ConsoleSink(options);
    return [sink, () => sink.close()];
  }

  log(event: LogEvent): void {
    if (this.closed) return;
    const write = this.write[METHOD_OF[event.level]];
    if (this.format === 'json') {
      write(JSON.stringify(event));
      return;
    }
    const head = `${event.level.toUpperCase()} ${event.namespace ? `[${event.namespace}] ` : ''}${event.message}`;
    if (event.payload === undefined && event.context === undefined) write(head);
    else if (event.context === undefined) write(head, event.payload);
    else write(head, event.payload === undefined ? {} : event.payload, event.context);
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }

  close(): void {
    this.closed = true;
  }
}
