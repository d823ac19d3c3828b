import type { LogEvent } from './event.js';

/**
 * The sink contract: delivery only. `log` is called on the hot path with a prepared, frozen
 * event that policy already accepted; it must be fast and must not block.
 * @group Types
 */
export interface LogSink {
  log(event: LogEvent): void;
  /** Resolves when everything logged before the call is delivered or dropped. */
  flush?(): Promise<void>;
  /** Releases resources; later `log` calls are ignored (and counted by sinks that count). */
  close?(): void | Promise<void>;
}

/**
 * Sink identity in the registry, compared structurally.
 * @group Registry
 */
export interface LogSinkDescriptor {
  readonly sinkType: string;
  readonly resourceKey: readonly unknown[];
  readonly configKey: readonly unknown[];
}

/**
 * Closes a registered sink. Idempotent, and safe on a sink that was never used.
 * @group Registry
 */
export type LogSinkTerminator = () => void | Promise<void>;
