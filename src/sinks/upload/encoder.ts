import type { LogEvent } from '../../core/event.js';

/**
 * A body encoding split so records can be encoded once (when the event is accepted) and batches
 * assembled by concatenation: `open + records.join(',') + close`.
 */
export interface BatchEncoder {
  /** The encoding of one event: one element of the body's record array. */
  record(event: LogEvent): string;
  /** Body text before the records. */
  readonly open: string;
  /** Body text after the records. */
  readonly close: string;
}

/**
 * Assembles a body from encoded records.
 * @param encoder - the envelope
 * @param records - encoded records, oldest first
 */
export function assembleBody(encoder: BatchEncoder, records: readonly string[]): string {
  return encoder.open + records.join(',') + encoder.close;
}

const bigintAsString = (_key: string, v: unknown) => (typeof v === 'bigint' ? String(v) : v);

/**
 * `JSON.stringify` that never throws: BigInt becomes a string; anything else unserializable
 * (a cycle in a hand-made event) becomes `fallback()`, or a marker.
 * @param value - what to encode
 * @param fallback - a replacement value to encode instead
 */
export function safeStringify(value: unknown, fallback?: () => unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch {
    try {
      return JSON.stringify(value, bigintAsString);
    } catch {
      return fallback ? safeStringify(fallback()) : '"[Unserializable]"';
    }
  }
}
