import { isPlain, jsonBytes, wellFormed } from './bytes.js';
import { SECRET_KEY, squash } from './helpers.js';
import type { ProcessorLimits } from './limits.js';

/** What the normalizer needs to know about a property key, worked out once per key. */
export interface KeyInfo {
  /** The key as written: lone surrogates replaced by U+FFFD. */
  _name: string;
  /** JSON bytes of `"name":`. */
  _bytes: number;
  /** Whether the key names a secret: its value is replaced, and never even read. */
  _secret: boolean;
}

// Cleared when full, so objects keyed by ids cannot grow the table without bound.
const MAX_CACHED_KEYS = 1000;

/** A cached lookup of {@link KeyInfo} by key. */
export function createKeyTable(limits: ProcessorLimits): (key: string) => KeyInfo {
  // A dictionary object, not a Map: a keyed load of an internalized string (what Object.keys
  // returns) is several times faster than Map.get on V8.
  let cache: Record<string, KeyInfo | undefined> = Object.create(null);
  let cached = 0;
  const {
    _maxBytes: maxBytes,
    _redactDefaultKeys: redactDefaults,
    _redactKeys: redactKeys,
  } = limits;
  return (key) => {
    // can never fit: no need to measure or cache it
    if (key.length > maxBytes) return { _name: key, _bytes: maxBytes, _secret: false };
    let info = cache[key];
    if (info === undefined) {
      if (cached++ >= MAX_CACHED_KEYS) {
        cache = Object.create(null);
        cached = 1;
      }
      const name = isPlain(key) ? key : wellFormed(key);
      const word = squash(name);
      info = {
        _name: name,
        _bytes: jsonBytes(name) + 1,
        _secret:
          (redactDefaults && SECRET_KEY.test(word)) ||
          redactKeys.some((k) => (typeof k == 'string' ? k == word : k.test(name))),
      };
      cache[key] = info;
    }
    return info;
  };
}
