import ts from 'typescript';
import { docsPages } from './markdown.js';

// The code examples of README.md and docs/*.md, ready to run: each fenced `ts`/`js`/`html` block
// becomes plain JavaScript (types stripped, imports turned into `require` calls that the runner
// answers), so a test can run every example as a user would paste it.

/** One runnable example: where it is and its JavaScript. */
export interface DocExample {
  /** `README.md#2`: the page and the example's number among its runnable blocks (from 1). */
  readonly name: string;
  readonly language: string;
  /** The block as written. */
  readonly source: string;
  /** The block as CommonJS-style JavaScript (for `html`: the inline scripts without a `src`). */
  readonly script: string;
}

/** Languages of blocks a user runs (`tsx` needs React, not a dependency; `sh`, `yaml`, … are not JS). */
const RUNNABLE = new Set(['ts', 'js', 'html']);

/** TypeScript (or JavaScript) to CommonJS-style JavaScript, top-level `await` kept. */
export function toScript(source: string): string {
  return ts.transpileModule(source, {
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      esModuleInterop: false,
      verbatimModuleSyntax: false,
    },
    reportDiagnostics: false,
  }).outputText;
}

/** The inline scripts of an HTML block, in order (scripts with a `src` are the SDK itself). */
export function inlineScripts(html: string): string[] {
  return [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
}

/** Every runnable example of the user-facing pages, in page order. */
export function docExamples(): DocExample[] {
  const examples: DocExample[] = [];
  for (const { file, text } of docsPages()) {
    let index = 0;
    for (const m of text.matchAll(/^```(\w+)\n([\s\S]*?)^```$/gm)) {
      const [, language, source] = m;
      if (!RUNNABLE.has(language)) continue;
      index++;
      const script = language === 'html' ? inlineScripts(source).join('\n;\n') : toScript(source);
      examples.push({ name: `${file}#${index}`, language, source, script });
    }
  }
  return examples;
}
