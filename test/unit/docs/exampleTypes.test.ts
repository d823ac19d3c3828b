import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { docsPages, ROOT } from './markdown.js';

// The TypeScript examples of README.md and docs/*.md compile against the package's own types
// (strict), as a TypeScript user pasting them would need: `mvx-logger` resolves to src/index.ts.
// The app names an example assumes without defining (`log`, `upload`, …) are declared for it; an
// example without an import gets the SDK names it uses. The React one is skipped (no React types).

/** What an example may use without defining it: the app around it. */
const APP_NAMES: Record<string, string> = {
  log: 'declare const log: Sdk.LogContext;',
  upload: 'declare const upload: Sdk.UploadSink;',
  expensiveSnapshot: 'declare function expensiveSnapshot(): object;',
  checkout: 'declare function checkout(cart: unknown): Promise<void>;',
  cart: 'declare const cart: { id: string };',
  list: 'declare const list: { prepend(item: unknown): void };',
  render: 'declare function render(event: Sdk.LogEvent): unknown;',
};
const SDK_NAMES = [
  'AsyncLogSink',
  'ConsoleSink',
  'configureLogSink',
  'fingersCrossed',
  'IndexedDbSink',
  'LogContext',
  'LogEventPolicy',
  'sample',
  'stormGuard',
  'UploadSink',
];
const SDK_TYPES = [
  'AsyncLogSinkOptions',
  'DispatchOutcome',
  'LogEvent',
  'LogSink',
  'LogSinkDescriptor',
  'LogSinkTerminator',
];

/** One module per `ts` block, named `<page>#<n>`, with the declarations it needs. */
function exampleModules(): Map<string, string> {
  const modules = new Map<string, string>();
  for (const { file, text } of docsPages()) {
    let index = 0;
    for (const [, source] of text.matchAll(/^```ts\n([\s\S]*?)^```$/gm)) {
      index++;
      const defined = new Set(
        [...source!.matchAll(/\b(?:const|let|class|function)\s+(\w+)|\{([^}]*)\}\s*from/g)].flatMap(
          (m) =>
            m[1] ? [m[1]] : m[2]!.split(',').map((name) => name.replace(/\btype\b/, '').trim()),
        ),
      );
      const uses = (name: string) =>
        new RegExp(`\\b${name}\\b`).test(source!) && !defined.has(name);
      const imported = /from 'mvx-logger'/.test(source!);
      const sdk = imported
        ? []
        : [...SDK_NAMES.filter(uses), ...SDK_TYPES.filter(uses).map((name) => `type ${name}`)];
      const app = Object.keys(APP_NAMES)
        .filter(uses)
        .map((name) => APP_NAMES[name]);
      const prelude = ["import type * as Sdk from 'mvx-logger';", ...app];
      if (sdk.length) prelude.unshift(`import { ${sdk.join(', ')} } from 'mvx-logger';`);
      modules.set(`${file}#${index}`, `${prelude.join('\n')}\n${source}\nexport {};\n`);
    }
  }
  return modules;
}

/** Compile errors per example (one program for all: each example is its own module). */
function compileErrors(modules: Map<string, string>): string[] {
  const byPath = new Map(
    [...modules].map(([name, code]) => [
      `/docs-examples/${name.replace(/\W/g, '_')}.ts`,
      { name, code },
    ]),
  );
  // `import { log } from './log'`: the app's root context, as the recipes assume
  byPath.set('/docs-examples/log.ts', {
    name: './log',
    code: "import type { LogContext } from 'mvx-logger';\nexport declare const log: LogContext;\n",
  });
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
    paths: { 'mvx-logger': [join(ROOT, 'src/index.ts')] },
    skipLibCheck: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (path, language, ...rest) => {
    const example = byPath.get(path);
    return example
      ? ts.createSourceFile(path, example.code, language)
      : getSourceFile(path, language, ...rest);
  };
  host.fileExists = (path) => byPath.has(path) || fileExists(path);
  const { directoryExists } = host;
  host.directoryExists = (path) => path === '/docs-examples' || directoryExists!(path);
  host.readFile = (path) => byPath.get(path)?.code ?? readFile(path);
  const program = ts.createProgram([...byPath.keys()], options, host);
  return ts.getPreEmitDiagnostics(program).flatMap((diagnostic) => {
    const example = diagnostic.file && byPath.get(diagnostic.file.fileName);
    if (!example)
      return [`(package) ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`];
    const { line } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
    const shown = example.code.split('\n')[line]!.trim();
    return [
      `${example.name}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')} (${shown})`,
    ];
  });
}

describe('the TypeScript examples of the docs', () => {
  it('compile, strict, against the package types (and a broken one does not)', () => {
    const modules = exampleModules();
    expect(modules.size).toBeGreaterThan(15);
    // Two broken examples in the same program: the check can fail (one program: it takes seconds).
    modules.set(
      'fake.md#1',
      "import { UploadSink } from 'mvx-logger';\nnew UploadSink({ url: '/x', encodng: 'otlp' });\n",
    );
    modules.set(
      'fake.md#2',
      "import type { LogContext } from 'mvx-logger';\ndeclare const log: LogContext;\nlog.notice('x');\nexport {};\n",
    );
    const errors = compileErrors(modules);
    expect(errors.filter((error) => !error.startsWith('fake.md#'))).toEqual([]);
    expect(errors.map((error) => error.split(':')[0])).toEqual(['fake.md#1', 'fake.md#2']);
  }, 60_000);
});
