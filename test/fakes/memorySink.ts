import type { LogEvent, LogSink } from '../../src/index.js';

/** A sink that keeps what it receives, for tests. */
export class MemorySink implements LogSink {
  readonly events: LogEvent[] = [];
  flushed = 0;
  closed = 0;
  log(event: LogEvent): void {
    this.events.push(event);
  }
  async flush(): Promise<void> {
    this.flushed++;
  }
  close(): void {
    this.closed++;
  }
}

/** A sink whose log() always throws. */
export class ThrowingSink implements LogSink {
  calls = 0;
  log(): void {
    this.calls++;
    throw new Error('sink exploded');
  }
}
