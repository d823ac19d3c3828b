import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { NAME_SEPARATOR } from './fullName.js';

// The tests a file of test/browser declares, read from its source when Playwright collects the
// spec (collection is synchronous, before any browser runs): every `it`/`test` call inside
// `describe` calls, with literal names, as `suite > test`. The page must register exactly these
// (checked by the spec), so a test this reading misses cannot go unrun unnoticed.

const TEST_CALLS = new Set(['it', 'test']);

function literalName(node: ts.Node | undefined): string | undefined {
  if (node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))) {
    return node.text;
  }
  return undefined;
}

/** Full test names declared in `file`, in source order. Throws on a name that is not a literal. */
export function declaredTests(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const names: string[] = [];
  const visit = (node: ts.Node, suites: readonly string[]): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression)) {
      const callee = node.expression.text;
      if (callee === 'describe' || TEST_CALLS.has(callee)) {
        const name = literalName(node.arguments[0]);
        if (name === undefined) {
          const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
          throw new Error(`${file}:${line + 1}: ${callee}() without a literal name`);
        }
        if (callee === 'describe') {
          node.arguments.slice(1).forEach((arg) => visit(arg, [...suites, name]));
        } else {
          names.push([...suites, name].join(NAME_SEPARATOR));
        }
        return;
      }
    }
    ts.forEachChild(node, (child) => visit(child, suites));
  };
  visit(source, []);
  return names;
}
