import typescript from '@rollup/plugin-typescript';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

export default [
  // Tree-shakeable ESM: one module per source file, idb external, .d.ts and maps next to the .js.
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
    plugins: [typescript({ tsconfig: './tsconfig.json' })],
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
      terser({ ecma: 2022, module: false, compress: { passes: 2 } }),
    ],
  },
];
