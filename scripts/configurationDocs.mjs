// Writes the option tables of docs/configuration.md from the TSDoc of the options interfaces, so
// the reference cannot drift from the code. A table sits between two markers:
//   <!-- options: UploadSinkOptions own -->  …generated rows…  <!-- end options -->
// (`own` leaves out the options inherited from another interface, e.g. AsyncLogSinkOptions).
// `npm run docs:config` rewrites the file; test/unit/docs/configuration.test.ts fails when it is
// out of date or when an exported `…Options` interface has no table.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT, optionsOf } from './apiSurface.mjs';

export const CONFIGURATION_MD = join(ROOT, 'docs/configuration.md');

const MARKER = /<!-- options: (\w+)( own)? -->\n[\s\S]*?<!-- end options -->/g;

// A literal, or a dotted global such as `Date.now`, at the start of a `@default`.
const LITERAL =
  /^('[^']*'|-?\d[\d_.]*|true|false|null|\[\]|\{\}|Infinity|[A-Za-z]+\.[\w.]+)(?=\s|$)/;

/** A `@default` as a table cell: a literal in backticks, prose as written. */
function defaultCell(option) {
  if (option.default === undefined) return option.optional ? '—' : 'required';
  return option.default.replace(LITERAL, '`$1`');
}

// Inline `{@link Name}` tags read as code in a table; `|` would end the cell.
const cell = (text) => text.replace(/\{@link\s+([^}\s]+)\s*\}/g, '`$1`').replace(/\|/g, '\\|');

/** The generated table of one interface. */
export function optionsTable(typeName, ownOnly) {
  const rows = optionsOf(typeName)
    .filter((option) => !ownOnly || option.owner === typeName)
    .map(
      (option) =>
        `| \`${option.name}\` | ${cell(defaultCell(option))} | ${cell(option.summary || '—')} |`,
    );
  return ['| option | default | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

/** The names of the interfaces that have a table in `text`. */
export function tabulatedInterfaces(text) {
  return [...text.matchAll(MARKER)].map((match) => match[1]);
}

/** `text` with every marked table regenerated. */
export function renderConfiguration(text) {
  return text.replace(
    MARKER,
    (_match, typeName, own) =>
      `<!-- options: ${typeName}${own ?? ''} -->\n${optionsTable(typeName, Boolean(own))}\n<!-- end options -->`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const before = readFileSync(CONFIGURATION_MD, 'utf8');
  const after = renderConfiguration(before);
  if (after !== before) writeFileSync(CONFIGURATION_MD, after);
  console.log(`docs/configuration.md: ${after === before ? 'up to date' : 'rewritten'}`);
}
