// Property mangling for the build (issue 15): internal property names start with `_` and a
// lowercase letter (`_events`, `_byteSize`); the build shortens exactly those, and never a public
// name (public names never start with `_`, which test/unit/package/publicNames.test.ts checks on
// the type declarations).
//
// Every output module must agree on the new names, because an object made in one module is read in
// another. So the names come from ONE map, built from the source before the build (like Preact's
// mangle.json, but generated: it cannot go stale): every `_name` token of src/, most frequent
// first, becomes `_a`, `_b`, … `_Z`, `_aa`, …. The targets keep the `_` prefix, so they can never
// collide with a public property, and the map is one-to-one over every `_name` in the code, so
// they cannot collide with each other. terser applies the map (its `nameCache`); a name terser
// meets that the map lacks fails the build instead of getting a name of terser's choosing.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { minify } from 'terser';

/** Which property names are internal, and mangled. */
export const INTERNAL_PROPERTY = /^_[a-z]/;

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** `_a` … `_Z`, then `_aa`, `_ab`, …: the n-th short internal name. */
export function shortName(n) {
  let name = '';
  let rest = n;
  do {
    name = LETTERS[rest % LETTERS.length] + name;
    rest = Math.floor(rest / LETTERS.length) - 1;
  } while (rest >= 0);
  return `_${name}`;
}

function tsFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? tsFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

/**
 * The map from every `_name` of the source to its short name, most frequent first (then by name,
 * so the same source always gives the same map). Tokens that are local variables, not
 * properties, are in it too: harmless, terser only uses the map for properties.
 */
export function propertyMap(srcDir) {
  const counts = new Map();
  for (const file of tsFiles(srcDir)) {
    for (const [token] of readFileSync(file, 'utf8').matchAll(/(?<![\w$#])_[a-z][\w$]*/g)) {
      counts.set(token, (counts.get(token) ?? 0) + 1);
    }
  }
  // `_a` … as source names would be renamed too; skip targets that are also source names only to
  // keep the output easy to read (the map is one-to-one either way).
  const names = [...counts]
    .sort(([a, m], [b, n]) => n - m || (a < b ? -1 : 1))
    .map(([name]) => name);
  const map = new Map();
  let next = 0;
  for (const name of names) {
    let target;
    do target = shortName(next++);
    while (counts.has(target) && target !== name);
    map.set(name, target);
  }
  return map;
}

/** A terser `nameCache` holding the map (terser keys its property cache with a `$`). */
export function nameCacheOf(map) {
  return { props: { props: Object.fromEntries([...map].map(([from, to]) => [`$${from}`, to])) } };
}

/**
 * A rollup plugin that runs terser over every chunk with the one shared map. `minified: false`
 * keeps a module's shape (no compression, beautified) for the tree-shakeable ESM build; `true`
 * minifies fully (the IIFE). `module` as terser's option (ESM output). Chunks are processed one at
 * a time.
 */
export function manglePropertiesPlugin({ map, minified, module }) {
  let queue = Promise.resolve();
  return {
    name: 'mangle-internal-properties',
    renderChunk(code, chunk) {
      const run = async () => {
        const nameCache = nameCacheOf(map);
        const result = await minify(code, {
          module,
          ecma: 2022,
          compress: minified ? { passes: 2 } : false,
          mangle: {
            properties: { regex: INTERNAL_PROPERTY },
            // the readable ESM keeps function and class names for stack traces
            keep_fnames: !minified,
            keep_classnames: !minified,
          },
          nameCache,
          format: minified ? { comments: false } : { beautify: true, comments: false },
          sourceMap: { asObject: true },
        });
        const unmapped = Object.keys(nameCache.props.props)
          .map((key) => key.slice(1))
          .filter((name) => !map.has(name));
        if (unmapped.length)
          throw new Error(
            `${chunk.fileName}: internal property names missing from the mangle map: ${unmapped.join(', ')}`,
          );
        return { code: result.code, map: result.map };
      };
      const done = queue.then(run);
      queue = done.catch(() => {});
      return done;
    },
  };
}
