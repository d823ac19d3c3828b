import typescript from '@rollup/plugin-typescript';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { manglePropertiesPlugin, propertyMap } from './scripts/mangle.mjs';

// Internal property names (`_name`, see scripts/mangle.mjs) are shortened in both outputs with one
// map; `MANGLE=0 npm run build` leaves them (to compare sizes, or to debug a build).
const mangle = process.env.MANGLE !== '0';
const map = mangle ? propertyMap('src') : undefined;

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
