import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  INTERNAL_PROPERTY,
  manglePropertiesPlugin,
  propertyMap,
  shortName,
  // @ts-expect-error -- plain ESM module without types
} from '../../../scripts/mangle.mjs';
// @ts-expect-error -- plain ESM module without types
import { memberNames, publicExports } from '../../../scripts/apiSurface.mjs';

// The build shortens internal property names (`_name`) with one map for every module; public
// names never start with `_`, so they can never be mangled. (e2e/mangledBuild.spec.ts checks the
// built files: option names, stats and event fields survive, and no `_name` is left long.)

describe('the public API has no internal-looking names', () => {
  // What users can reach: exports, and the members of exported classes (static, instance and
  // protected, which subclasses use) and types, with the types of those members, two levels
  // down. `#private` and TypeScript-`private` members are not reachable, so they may be mangled.
  const members: Set<string> = memberNames({ publicOnly: true });

  it('sees the whole surface (exports, options, event, stats, protected and member names)', () => {
    for (const name of [
      'maxBatchEvents', // an option
      'traceId', // a LogEvent field
      'accepted', // a stats field
      'storedEvents', // an IndexedDbSink stats field
      'overflow', // a drop reason (stats().dropped.overflow)
      'dispatchOnExit', // a protected hook of AsyncLogSink
      'setFilter', // a method
    ])
      expect(members).toContain(name);
    expect(members.size).toBeGreaterThan(150);
    // private state is left out: `#tree` of LogContext, and what only it reaches
    expect(members).not.toContain('#tree');
  });

  it('no export, option, field or method of an exported type starts with `_`', () => {
    const internal = [
      ...publicExports().map((e: { name: string }) => e.name),
      ...[...members].filter((name) => !name.startsWith('__@')), // symbol-keyed members
    ].filter((name) => name.startsWith('_'));
    expect(internal).toEqual([]);
  });
});

describe('the mangle map (scripts/mangle.mjs)', () => {
  it('mangles `_` + lowercase letter names only', () => {
    const matches = (name: string) => INTERNAL_PROPERTY.test(name);
    expect(['_events', '_byteSize', '_a'].every(matches)).toBe(true);
    expect(['events', '__proto__', '_', '_Private', '$_x', 'max_bytes'].some(matches)).toBe(false);
  });

  it('short names are `_a` … `_Z`, `_aa` …, all different', () => {
    expect([0, 1, 25, 26, 51, 52, 53].map(shortName)).toEqual([
      '_a',
      '_b',
      '_z',
      '_A',
      '_Z',
      '_aa',
      '_ab',
    ]);
    const many = Array.from({ length: 3000 }, (_, n) => shortName(n));
    expect(new Set(many).size).toBe(3000);
  });

  it('maps every `_name` of the source, most frequent first, one-to-one, never a public name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mvx-mangle-'));
    writeFileSync(
      join(dir, 'a.ts'),
      'const box = { _count: 1, _b: 2, label: "x" };\nbox._count++; box._count--; this.#hidden = obj.__proto__;\n',
    );
    const map: Map<string, string> = propertyMap(dir);
    expect([...map.keys()]).toEqual(['_count', '_b']);
    expect(map.get('_count')).toBe('_a');
    expect(map.get('_b')).toBe('_b'); // `_b` is a source name: it keeps its own
    expect(new Set(map.values()).size).toBe(map.size);
  });

  it('the build fails on an internal name the map lacks, instead of guessing one', async () => {
    const plugin = manglePropertiesPlugin({
      map: new Map([['_known', '_a']]),
      minified: false,
      module: true,
    });
    const chunk = { fileName: 'x.js' };
    const ok = await plugin.renderChunk('export const o = { _known: 1 };', chunk);
    expect(ok.code).toContain('_a');
    await expect(
      plugin.renderChunk('export const o = { _known: 1, _unknown: 2 };', chunk),
    ).rejects.toThrow(/_unknown/);
  });
});
