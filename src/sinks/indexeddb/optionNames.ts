import { ASYNC_OPTION_NAMES, type AsyncLogSinkOptions } from '../asyncOptions.js';

export type AsyncOptionName = (typeof ASYNC_OPTION_NAMES)[number];

/**
 * Option names `IndexedDbSink` adds besides its numeric bounds (`IDB_DEFAULTS`). That the list is
 * complete is checked by the type checker in test/unit/indexeddb/optionNames.test.ts (here it would
 * need the options' types, an import cycle).
 */
export const OWN_OPTIONS = {
  database: 1,
  drainTo: 1,
  indexedDB: 1,
  locks: 1,
  storage: 1,
  broadcastChannel: 1,
} as const;

/**
 * Every option name `IndexedDbSink` understands.
 * @param boundNames - the names of its numeric bounds
 */
export const optionNames = (boundNames: readonly string[]): readonly string[] => [
  ...ASYNC_OPTION_NAMES,
  ...boundNames,
  ...Object.keys(OWN_OPTIONS),
];

/** The options `AsyncLogSink` gets from an `IndexedDbSink`: its own names only, with our defaults. */
export const asyncOptionsOf = (
  resolved: Readonly<Partial<Record<AsyncOptionName, unknown>>>,
): AsyncLogSinkOptions =>
  Object.fromEntries(
    ASYNC_OPTION_NAMES.filter((name) => name in resolved).map((name) => [name, resolved[name]]),
  ) as AsyncLogSinkOptions;
