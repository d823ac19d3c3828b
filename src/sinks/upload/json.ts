import type { LogEvent } from '../../core/event.js';
import { assembleBody, safeStringify, type BatchEncoder } from './encoder.js';

/**
 * The plain JSON encoding: `{"resource":{…},"events":[LogEvent, …]}`, each event as the SDK built
 * it (`id`, `namespace`, `level`, `severity`, `message`, `time`, `payload`, `context`).
 * @param resource - attributes of the emitting app (`service.name`, …); omitted when empty
 */
export function jsonEncoder(resource?: Readonly<Record<string, unknown>>): BatchEncoder {
  const head =
    resource && Object.keys(resource).length ? `"resource":${safeStringify(resource)},` : '';
  return {
    open: `{${head}"events":[`,
    close: ']}',
    record: (event) => jsonRecord(event),
  };
}

function jsonRecord(event: LogEvent): string {
  // Only a hand-made event (not from a LogContext) can fail here; keep its routing fields.
  return safeStringify(event, () => {
    const { id, namespace, level, severity, message, time } = event;
    return { id, namespace, level, severity, message, time, payload: '[Unserializable]' };
  });
}

/**
 * Encodes a batch as the plain JSON body.
 * @param events - the events, oldest first
 * @param resource - attributes of the emitting app
 */
export function encodeJsonBatch(
  events: readonly LogEvent[],
  resource?: Readonly<Record<string, unknown>>,
): string {
  const encoder = jsonEncoder(resource);
  return assembleBody(encoder, events.map(encoder.record));
}
