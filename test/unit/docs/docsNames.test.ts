import { describe, expect, it } from 'vitest';
import {
  kebabLiterals,
  memberNames,
  optionsInterfaces,
  optionsOf,
  publicExports,
  // @ts-expect-error -- plain ESM module without types
} from '../../../scripts/apiSurface.mjs';
import { codeSpans, docsPages, splitCode, tables } from './markdown.js';

// The docs (README.md and docs/*.md) name options, exports, event/stats fields and diagnostic
// kinds; each of them must exist in the code. The names come from the compiler (src/index.ts and
// the types it exports) and from the string literals of src/, not from a list kept by hand.

const exportsSet = new Set<string>(publicExports().map((e: { name: string }) => e.name));
const members: Set<string> = memberNames();
const options = new Set<string>(
  optionsInterfaces().flatMap((name: string) =>
    optionsOf(name).map((o: { name: string }) => o.name),
  ),
);
const kinds = kebabLiterals();

/** Identifiers that look like this package's exports (anything else may be a platform name). */
const EXPORT_LIKE =
  /^(Log[A-Z]\w*|[A-Z]\w*(Sink|Options|Stats|Outcome|Reason)|(create|capture|encode|configure)[A-Z]\w*|\w+LogSinks?|(LOG|CONSOLE)_[A-Z_]+)$/;

/** Platform names the docs may call like functions (`fetch(…)`), and the snippet stub's own. */
const PLATFORM_CALLS = new Set([
  'fetch',
  'commit',
  'open',
  'preventDefault',
  'toJSON',
  'importScripts',
  'waitUntil',
  'ready',
  'require',
  'fn',
  'Worker',
]);

/** Kebab-case words of the docs that are not SDK names: HTTP headers, other projects. */
const NOT_SDK_NAMES = new Set(['content-type', 'content-encoding', 'opentelemetry-proto']);

/**
 * Documented ahead of the code, while another change adds them: allowed only as long as they do
 * not exist (remove a name once the code has it; the test says when).
 */
const PENDING = new Set<string>([]);

/** Names the docs' own code blocks define (`class NdjsonSink`, `const upload = …`). */
function definedInCode(code: string[]): Set<string> {
  const names = new Set<string>();
  for (const block of code) {
    for (const m of block.matchAll(/\b(?:class|function|const|let|var)\s+([A-Za-z_$][\w$]*)/g))
      names.add(m[1]);
  }
  return names;
}

type Problem = { file: string; name: string; why: string };

function problemsOf(file: string, text: string): Problem[] {
  const problems: Problem[] = [];
  const { prose, code } = splitCode(text);
  const defined = definedInCode(code);
  const isKnownGlobal = (name: string) => name in globalThis;
  const need = (ok: boolean, name: string, why: string) => {
    if (!ok && !PENDING.has(name) && !problems.some((p) => p.name === name))
      problems.push({ file, name, why });
  };

  // Exports: import lists of code blocks, the IIFE global's properties, export-like names.
  for (const block of code) {
    for (const m of block.matchAll(/import\s*\{([^}]*)\}\s*from\s*'mvx-logger'/g)) {
      for (const raw of m[1].split(',')) {
        const name = raw.replace(/^\s*type\s+/, '').trim();
        if (name) need(exportsSet.has(name), name, 'imported from mvx-logger but not exported');
      }
    }
    for (const m of block.matchAll(/\bnew\s+([A-Z][\w$]*)\s*\(/g)) {
      const name = m[1];
      if (EXPORT_LIKE.test(name) && !defined.has(name))
        need(exportsSet.has(name), name, 'constructed in an example but not exported');
    }
  }
  for (const m of text.matchAll(/(?<![.\w])(?:MvxLogger|sdk)\.([A-Za-z_$][\w$]*)/g)) {
    const name = m[1];
    need(
      exportsSet.has(name) ||
        // the methods the async snippet (demo/public/snippet.js) adds to the global
        [
          'ready',
          'child',
          'flush',
          'q',
          'trace',
          'debug',
          'info',
          'warn',
          'error',
          'fatal',
        ].includes(name),
      name,
      'read from the MvxLogger global but not exported',
    );
  }
  for (const span of codeSpans(prose)) {
    const head = /^(?:new\s+)?([A-Za-z_$][\w$]*)(\(|$|\.)/.exec(span);
    if (!head) continue;
    const name = head[1];
    if (EXPORT_LIKE.test(name) && !defined.has(name) && !isKnownGlobal(name)) {
      need(exportsSet.has(name), name, 'named like an export but not exported');
    } else if (head[2] === '(' && !exportsSet.has(name) && !defined.has(name)) {
      need(
        members.has(name) || PLATFORM_CALLS.has(name) || isKnownGlobal(name),
        name,
        'called like a function or method, but no export or exported type has it',
      );
    }
    // Stats and event fields read through their accessors: `stats().exitLeft`, `dropped.overflow`.
    const fields = /^(?:\w+\.)?stats\(\)\.([\w.]+)$/.exec(span);
    if (fields)
      for (const field of fields[1].split('.'))
        need(members.has(field), field, 'read from stats() but no stats type has it');
  }

  // Tables: options, fields and diagnostic kinds in their first column.
  for (const table of tables(prose)) {
    const first = table.header[0].toLowerCase();
    for (const row of table.rows) {
      const names = codeSpans(row[0] ?? '');
      for (const name of names) {
        if (first === 'option') {
          for (const part of name.split(/\s*[,/]\s*/))
            if (/^\w+$/.test(part))
              need(options.has(part), part, 'listed as an option but no options interface has it');
        } else if (first === 'field') {
          for (const part of name.split(/\s*[,/]\s*/))
            if (/^\w+$/.test(part))
              need(members.has(part), part, 'listed as a field but no exported type has it');
        } else if (first === 'kind') {
          need(kinds.has(name), name, 'listed as a diagnostic kind but src/ never reports it');
        }
      }
    }
  }

  // Diagnostic kinds and reasons in prose: any kebab-case code span must be a string of src/.
  for (const span of codeSpans(prose)) {
    if (
      /^[a-z][a-z0-9]*(-[a-z0-9]+)+(:<\w+>)?$/.test(span) &&
      !/^mvx-logger/.test(span) &&
      !NOT_SDK_NAMES.has(span)
    )
      need(
        kinds.has(span),
        span,
        'kebab-case name (a diagnostic kind or reason) that src/ does not have',
      );
  }
  return problems;
}

describe('docs name only what the code has', () => {
  for (const { file, text } of docsPages()) {
    it(file, () => {
      expect(problemsOf(file, text)).toEqual([]);
    });
  }

  it('pending names are still missing from the code (remove them from PENDING once they land)', () => {
    expect([...PENDING].filter((name) => exportsSet.has(name) || members.has(name))).toEqual([]);
  });

  it('can fail: made-up option, export, field and diagnostic kind are reported', () => {
    const page = [
      "```ts\nimport { LogContext, makeLogger } from 'mvx-logger';\nnew FancySink();\n```",
      'Use `createFancyLogger()` or `MvxLogger.Nope`; read `stats().notAField`.',
      '| option | default |\n| --- | --- |\n| `maxBatchEvents` | 1 |\n| `maxBananas` | 2 |',
      '| kind | reason |\n|---|---|\n| `queue-overflow` | ok |\n| `made-up-kind` | no |',
      'Reported as `also-made-up`; `sink-threw:<sink>` is fine.',
    ].join('\n\n');
    expect(problemsOf('fake.md', page).map((p) => p.name)).toEqual([
      'makeLogger',
      'FancySink',
      'Nope',
      'createFancyLogger',
      'notAField',
      'maxBananas',
      'made-up-kind',
      'also-made-up',
    ]);
  });
});
