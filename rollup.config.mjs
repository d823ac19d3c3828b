import typescript from '@rollup/plugin-typescript';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { manglePropertiesPlugin, propertyMap } from './scripts/mangle.mjs';

// Internal property names (`_name`, see scripts/mangle.mjs) are shortened in both outputs with one
// map; `MANGLE=0 npm run build` leaves them (to compare sizes, or to debug a build).
const mangle = process.env.MANGLE !== '0';
const map = mangle ? propertyMap('src') : undefined;

// idb registers two optional extensions when its module loads: `db.get()`-style shortcuts on the
// database and async iterators over cursors, each a top-level `replaceTraps(...)` call that a
// bundler must keep. The SDK uses neither (only `wrap`), so where idb is bundled (the IIFE) those
// two calls are marked pure and fall away with the code they reach (about 0.45 KB min+gzip). Apps
// that bundle dist/esm get idb whole, as idb ships it. The build fails if idb's source changes.
const IDB_EXTENSION = /^replaceTraps\(/gm;
const idbWithoutExtensions = {
  name: 'idb-without-extensions',
  transform(code, id) {
    if (!/[\\/]idb[\\/]build[\\/]index\.js$/.test(id)) return null;
    const found = code.match(IDB_EXTENSION)?.length ?? 0;
    if (found !== 2) this.error(`idb: expected 2 top-level replaceTraps() calls, found ${found}`);
    // inserts a comment at two line starts, moves no code: the source map stays as it is
    return { code: code.replace(IDB_EXTENSION, '/*#__PURE__*/ replaceTraps('), map: null };
  },
};

export default [
  // Tree-shakeable ESM: one module per source file, idb external, .d.ts and maps next to the .js.
  // No declaration maps: they would point into src/, which the package does not ship (the .js
  // maps carry their sources inline). Not minified (apps minify), only internal names shortened.
  {
    input: 'src/index.ts',
    external: ['idb'],
    output: {
      dir: 'dist/esm',
      format: 'es',
      preserveModules: true,
      preserveModulesRoot: 'src',
      sourcemap: true,
    },
    plugins: [
      typescript({ tsconfig: './tsconfig.json', declarationMap: false }),
      mangle && manglePropertiesPlugin({ map, minified: false, module: true }),
    ],
  },
  // Minified IIFE for <script src>: idb bundled, one global `MvxLogger` with the same exports.
  {
    input: 'src/cdn.ts',
    output: {
      file: 'dist/mvx-logger.iife.min.js',
      format: 'iife',
      name: 'MvxLogger',
      sourcemap: true,
    },
    plugins: [
      resolve({ browser: true }),
      idbWithoutExtensions,
      typescript({
        tsconfig: './tsconfig.json',
        declaration: false,
        declarationMap: false,
        outDir: 'dist',
      }),
      mangle
        ? manglePropertiesPlugin({ map, minified: true, module: false })
        : terser({ ecma: 2022, module: false, compress: { passes: 2 } }),
    ],
  },
];
