import { checkedOptions, configFail } from '../core/check.js';
import { originalConsoleMethod } from '../core/diagnostics.js';
import type { LogEvent } from '../core/event.js';
import type { LogLevel } from '../core/level.js';
import type { LogSink, LogSinkDescriptor, LogSinkTerminator } from '../core/sink.js';

/**
 * Options of {@link ConsoleSink}.
 * @group Sinks
 */
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

type Write = (...args: unknown[]) => void;

const OWNER = 'ConsoleSink';
const CONSOLE_OPTIONS = ['format', 'console'];

// The console treats its first argument as a format string (`%s`, `%o`, `%c`, ...). Messages and
// namespaces are logged data, so the SDK always writes its own format string and passes the text
// as an argument: `50%s off %c` prints literally and cannot consume the payload or restyle the line.
const LITERAL = '%s';

/**
 * Writes events to the console: the level picks the console method, the namespace is shown and the
 * payload is passed as an object devtools can expand. Synchronous.
 *
 * @example
 * new LogContext({ namespace: 'app', sinks: { console: new ConsoleSink() } }).info('ready', { ms: 42 });
 * @group Sinks
 */
export class ConsoleSink implements LogSink {
  #json: boolean;
  // The write of each level, captured at construction; unset once closed.
  #write?: Record<LogLevel, Write>;

  /** @throws LogConfigError on an unknown option or format, or a console that is not an object */
  constructor(options?: ConsoleSinkOptions) {
    const checked = checkedOptions(OWNER, options, CONSOLE_OPTIONS);
    const format = checked.format ?? 'pretty';
    const target = checked.console ?? globalThis.console;
    if (
      (format != 'json' && format != 'pretty') ||
      (target !== undefined && typeof target != 'object')
    )
      configFail(OWNER, "`format` must be 'pretty' or 'json', `console` a Console");
    this.#json = format == 'json';
    // `console.trace` would print a stack per trace event; debug is what devtools filter by.
    const write = (method: 'debug' | 'info' | 'warn' | 'error') =>
      originalConsoleMethod(method, target);
    const debug = write('debug');
    const error = write('error');
    this.#write = {
      trace: debug,
      debug,
      info: write('info'),
      warn: write('warn'),
      error,
      fatal: error,
    };
  }

  /** Registry identity: one console per format. */
  static buildDescriptor(options?: ConsoleSinkOptions): LogSinkDescriptor {
    return {
      sinkType: 'console',
      resourceKey: ['console'],
      configKey: [options?.format ?? 'pretty'],
    };
  }

  /** Registry factory. */
  static create(options?: ConsoleSinkOptions): [ConsoleSink, LogSinkTerminator] {
    const sink = new ConsoleSink(options);
    return [sink, () => sink.close()];
  }

  log(event: LogEvent): void {
    const write = this.#write?.[event.level];
    if (!write) return;
    if (this.#json) return write(LITERAL, JSON.stringify(event));
    const { payload, context } = event;
    const head = `${event.level.toUpperCase()} ${event.namespace ? `[${event.namespace}] ` : ''}${event.message}`;
    // Objects devtools can expand; `{}` stands in for a missing payload so the context stays second.
    if (context !== undefined) write(LITERAL, head, payload === undefined ? {} : payload, context);
    else if (payload !== undefined) write(LITERAL, head, payload);
    else write(LITERAL, head);
  }

  /** Nothing is buffered. */
  async flush(): Promise<void> {}

  close(): void {
    this.#write = undefined;
  }
}
