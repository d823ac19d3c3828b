import type { AsyncLogSinkOptions } from '../asyncOptions.js';
import type { IDB_DEFAULTS, IndexedDbSinkOptions, Resolved } from './indexedDbOptions.js';

/** Option names of `AsyncLogSink` (the base validates their values); the type keeps it complete. */
const ASYNC_OPTIONS = {
  maxBatchEvents: 1,
  maxBatchBytes: 1,
  flushIntervalMs: 1,
  maxQueueEvents: 1,
  maxQueueBytes: 1,
  maxRetries: 1,
  retryBaseMs: 1,
  retryMaxMs: 1,
  onDiagnostic: 1,
  now: 1,
  setTimeout: 1,
  clearTimeout: 1,
  random: 1,
  stormProtection: 1,
  pageLifecycle: 1,
} satisfies Record<keyof AsyncLogSinkOptions, 1>;

export type AsyncOptionName = keyof typeof ASYNC_OPTIONS;

const ASYNC_OPTION_NAMES = Object.keys(ASYNC_OPTIONS) as AsyncOptionName[];

/** Option names `IndexedDbSink` adds besides its numeric bounds (`IDB_DEFAULTS`). */
const OWN_OPTIONS = {
  database: 1,
  drainTo: 1,
  indexedDB: 1,
  locks: 1,
  storage: 1,
  broadcastChannel: 1,
} satisfies Record<
  Exclude<keyof IndexedDbSinkOptions, AsyncOptionName | keyof typeof IDB_DEFAULTS>,
  1
>;

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
export const asyncOptionsOf = (resolved: Resolved): AsyncLogSinkOptions =>
  Object.fromEntries(
    ASYNC_OPTION_NAMES.filter((name) => name in resolved).map((name) => [name, resolved[name]]),
  );
