import { describe, expect, it } from 'vitest';
import type {
  IDB_DEFAULTS,
  IndexedDbSinkOptions,
} from '../../../src/sinks/indexeddb/indexedDbOptions.js';
import {
  OWN_OPTIONS,
  optionNames,
  type AsyncOptionName,
} from '../../../src/sinks/indexeddb/optionNames.js';

/** The option names of `IndexedDbSinkOptions` that are neither `AsyncLogSink`'s nor bounds. */
type OwnOptionName = Exclude<
  keyof IndexedDbSinkOptions,
  AsyncOptionName | keyof typeof IDB_DEFAULTS
>;

// Type-checked by `npm run typecheck` (tsconfig.test.json): a new option missing from OWN_OPTIONS,
// or a name there that is no option, is a type error, so the unknown-option check cannot drift.
const complete: Record<OwnOptionName, 1> = OWN_OPTIONS;
type NoExtraName = Record<keyof typeof OWN_OPTIONS, unknown>;
const noExtra: NoExtraName = complete satisfies Record<OwnOptionName, 1>;

describe('IndexedDbSink option names', () => {
  it('lists every own option once, beside the async and bound names', () => {
    const names = optionNames(['maxStoredBytes']);
    expect(names).toEqual(expect.arrayContaining([...Object.keys(noExtra), 'maxStoredBytes']));
    expect(new Set(names).size).toBe(names.length);
  });
});
