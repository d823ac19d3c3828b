// The public surface of the package as the TypeScript compiler sees it: the exports of
// src/index.ts, the options interfaces with their TSDoc (summary and `@default`), every property
// and method name of the exported types, and the kebab-case string literals of src/ (diagnostic
// kinds, drop reasons). The docs checks (test/unit/docs) and `npm run docs:config` read it, so the
// documentation is compared with the code rather than with a copy of it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The compiler program over src/index.ts, built once per process. */
let cached;
function program() {
  if (cached) return cached;
  const config = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, 'tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  );
  const built = ts.createProgram([join(ROOT, 'src/index.ts')], {
    ...config.options,
    noEmit: true,
  });
  cached = { program: built, checker: built.getTypeChecker() };
  return cached;
}

const plain = (parts) => ts.displayPartsToString(parts).replace(/\s+/g, ' ').trim();

/** The exported symbols of src/index.ts, aliases resolved: `[{ name, symbol, isType }]`. */
export function publicExports() {
  const { program: built, checker } = program();
  const index = built.getSourceFile(join(ROOT, 'src/index.ts'));
  return checker.getExportsOfModule(checker.getSymbolAtLocation(index)).map((exported) => {
    const symbol =
      exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const isType = !(symbol.flags & ts.SymbolFlags.Value);
    return { name: exported.name, symbol, isType };
  });
}

/** The TSDoc `@group` of an exported declaration, or undefined. */
export function groupOf(symbol) {
  const { checker } = program();
  const tag = symbol.getJsDocTags(checker).find((t) => t.name === 'group');
  return tag ? plain(tag.text ?? []) : undefined;
}

/**
 * The properties of an exported interface or type alias, in declaration order (inherited ones
 * after the own ones), each with its TSDoc summary, `@default` and where it is declared.
 */
export function optionsOf(typeName) {
  const { checker } = program();
  const found = publicExports().find((e) => e.name === typeName);
  if (!found) throw new Error(`${typeName} is not exported from src/index.ts`);
  const type = checker.getDeclaredTypeOfSymbol(found.symbol);
  return checker.getPropertiesOfType(type).map((property) => {
    const declaration = property.declarations?.[0];
    const owner =
      declaration?.parent && ts.isInterfaceDeclaration(declaration.parent)
        ? declaration.parent.name.text
        : typeName;
    const defaultTag = property.getJsDocTags(checker).find((t) => t.name === 'default');
    return {
      name: property.name,
      owner,
      optional: Boolean(property.flags & ts.SymbolFlags.Optional),
      summary: plain(property.getDocumentationComment(checker)),
      default: defaultTag ? plain(defaultTag.text ?? []) : undefined,
    };
  });
}

/** The names of every exported `…Options` interface (what docs/configuration.md must cover). */
export function optionsInterfaces() {
  return publicExports()
    .filter((e) => e.isType && /Options$/.test(e.name))
    .map((e) => e.name);
}

/** Whether a class member is `#private`, TypeScript-`private` or `@internal`: not for users. */
function isPrivateMember(declaration) {
  if (!declaration) return false;
  if (declaration.name && ts.isPrivateIdentifier(declaration.name)) return true;
  // `@internal`: package-internal, left out of the API reference as well (typedoc excludeInternal)
  if (ts.getJSDocTags(declaration).some((tag) => tag.tagName.text === 'internal')) return true;
  return Boolean(ts.getCombinedModifierFlags(declaration) & ts.ModifierFlags.Private);
}

/**
 * Every property and method name reachable from the exports: class members (static and
 * instance), interface properties, and the properties of their property types one level down
 * (e.g. `stats().dropped.overflow`). `publicOnly` leaves out `#private` and `private` members and
 * what is reachable only through them (protected members stay: subclasses use them).
 */
export function memberNames({ publicOnly = false } = {}) {
  const { checker } = program();
  const names = new Set();
  const seenAtDepth = new Map(); // a type met again closer to an export is walked again
  const addType = (type, depth) => {
    if (!type || depth > 2 || seenAtDepth.get(type) <= depth) return;
    seenAtDepth.set(type, depth);
    for (const part of type.isUnion() ? type.types : [type]) {
      for (const property of checker.getPropertiesOfType(part)) {
        const declaration = property.valueDeclaration ?? property.declarations?.[0];
        if (publicOnly && isPrivateMember(declaration)) continue;
        names.add(property.name);
        if (declaration)
          addType(checker.getTypeOfSymbolAtLocation(property, declaration), depth + 1);
      }
      for (const signature of part.getCallSignatures())
        addType(signature.getReturnType(), depth + 1);
    }
  };
  for (const { symbol } of publicExports()) {
    if (symbol.flags & ts.SymbolFlags.Class) {
      const declaration = symbol.valueDeclaration;
      addType(checker.getTypeOfSymbolAtLocation(symbol, declaration), 0); // statics
      addType(checker.getDeclaredTypeOfSymbol(symbol), 0); // instance members
    } else if (symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias)) {
      addType(checker.getDeclaredTypeOfSymbol(symbol), 0);
    } else if (symbol.valueDeclaration) {
      addType(checker.getTypeOfSymbolAtLocation(symbol, symbol.valueDeclaration), 0);
    }
  }
  return names;
}

function sourceFiles(dir = join(ROOT, 'src')) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)+:?$/;

/**
 * The kebab-case strings of src/ — diagnostic kinds, drop and suppress reasons — as exact names
 * and, for template literals such as `sink-threw:${name}`, as patterns where each substitution
 * matches a name or a `<placeholder>`.
 */
export function kebabLiterals() {
  const exact = new Set();
  const patterns = [];
  const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (const file of sourceFiles()) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
    const visit = (node) => {
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
        if (KEBAB.test(node.text)) exact.add(node.text);
      } else if (ts.isTemplateExpression(node)) {
        const texts = [node.head.text, ...node.templateSpans.map((span) => span.literal.text)];
        if (/^[a-z]/.test(texts[0]) && texts.every((t) => /^[a-z0-9:-]*$/.test(t))) {
          patterns.push(new RegExp(`^${texts.map(escape).join('[a-z0-9<>._-]+')}$`));
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { exact, patterns, has: (name) => exact.has(name) || patterns.some((p) => p.test(name)) };
}
