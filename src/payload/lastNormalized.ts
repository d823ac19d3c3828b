/**
 * The payload the normalizer returned last and its exact JSON size in UTF-8 bytes, so a sink that
 * bounds memory by bytes (fingersCrossed) needs no second walk of the same payload: it compares
 * the event's payload with `_value` by identity.
 */
export const lastNormalized: { _value: unknown; _bytes: number } = { _value: undefined, _bytes: 0 };
