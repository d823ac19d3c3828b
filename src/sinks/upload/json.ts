import type { LogEvent } from '../../core/event.js';
import { assembleBody, guarded, stringify, type BatchEncoder } from './encoder.js';

/**
 * The plain JSON encoding: `{"resource":{…},"events":[LogEvent, …]}`, each event as the SDK built
 * it (`id`, `namespace`, `level`, `severity`, `message`, `time`, `payload`, `context`).
 * @param resource - attributes of the emitting app (`service.name`, …); omitted when empty
 */
export function jsonEncoder(resource?: Readonly<Record<string, unknown>>): BatchEncoder {
  const hasResource = resource && Object.keys(resource).length;
  return {
    _open: `{${hasResource ? `"resource":${stringify(resource)},` : ''}"events":[`,
    _record: guarded(stringify),
    _close: ']}',
  };
}

/**
 * Encodes a batch as the plain JSON body.
 * @param events - the events, oldest first
 * @param resource - attributes of the emitting app
 * @group Sinks
 */
export function encodeJsonBatch(
  events: readonly LogEvent[],
  resource?: Readonly<Record<string, unknown>>,
): string {
  return assembleBody(jsonEncoder(resource), events);
}
