import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');
// Lower layers never import higher ones: core <- payload <- context, sinks <- capture, trace <- index/cdn.
const RANK: Record<string, number> = {
  core: 0,
  payload: 1,
  context: 2,
  sinks: 2,
  capture: 3,
  trace: 3,
  '.': 4,
};

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'/g)) {
    out.push(resolve(dirname(file), m[1].replace(/\.js$/, '.ts')));
  }
  return out;
}

const layerOf = (file: string) => {
  const rel = relative(SRC, file);
  return rel.includes('/') ? rel.split('/')[0] : '.';
};

describe('architecture', () => {
  const all = files(SRC);
  const graph = new Map(all.map((f) => [f, imports(f)]));

  it('points layer dependencies one way', () => {
    const violations: string[] = [];
    for (const [file, deps] of graph) {
      for (const dep of deps) {
        const from = layerOf(file);
        const to = layerOf(dep);
        const sameRankPeers = RANK[from] === RANK[to] && from !== to;
        if (RANK[to] > RANK[from] || sameRankPeers)
          violations.push(`${relative(SRC, file)} -> ${relative(SRC, dep)}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('has no import cycles', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'visiting') {
        cycles.push(
          [...path.slice(path.indexOf(file)), file].map((f) => relative(SRC, f)).join(' -> '),
        );
        return;
      }
      state.set(file, 'visiting');
      for (const dep of graph.get(file) ?? []) visit(dep, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of all) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it('keeps files small (split before about 250 lines)', () => {
    const long = all
      .filter((f) => readFileSync(f, 'utf8').split('\n').length > 300)
      .map((f) => relative(SRC, f));
    expect(long).toEqual([]);
  });

  it('uses no eval or new Function (strict CSP)', () => {
    const bad = all.filter((f) => /\beval\(|new Function\(/.test(readFileSync(f, 'utf8')));
    expect(bad).toEqual([]);
  });
});
