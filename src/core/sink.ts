import type { LogDiagnosticHandler } from './diagnostics.js';
import type { LogEvent } from './event.js';

/**
 * The sink contract: delivery only. `log` is called on the hot path with a prepared, frozen
 * event that policy already accepted; it must be fast and must not block.
 * @group Types
 */
export interface LogSink {
  log(event: LogEvent): void;
  /**
   * Resolves when everything logged before the call is delivered, handed to a durable buffer, or
   * dropped; with `false` when something was not delivered (a `LogContext`'s `flush()` then
   * resolves false). Never rejects.
   */
  flush?(): Promise<void | boolean>;
  /** Releases resources; later `log` calls are ignored (and counted by sinks that count). */
  close?(): void | Promise<void>;
  /**
   * One diagnostics channel: each `LogContext` given an `onDiagnostic` calls this at construction
   * with that handler, for its sinks and for the transport each drains to. A sink that has no
   * `onDiagnostic` of its own reports through the first handler it adopts; one with its own
   * ignores it.
   * @param handler - the context's `onDiagnostic`
   */
  adoptDiagnostics?(handler: LogDiagnosticHandler): void;
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
