import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from './fixtures.js';
// @ts-expect-error -- plain ESM module without types
import { optionsInterfaces, optionsOf } from '../scripts/apiSurface.mjs';

// The build shortens internal property names (`_name` → `_a`, scripts/mangle.mjs). These checks
// run on the built dist/ (ESM and IIFE): the public names are still there, at run time too, and
// the internal ones were really shortened. test/unit/package/mangle.test.ts checks the contract
// on the types (no public name starts with `_`). The page test runs in every engine.

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const iife = readFileSync(join(DIST, 'mvx-logger.iife.min.js'), 'utf8');
const jsFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? jsFiles(join(dir, entry.name))
      : entry.name.endsWith('.js')
        ? [join(dir, entry.name)]
        : [],
  );
const esm = jsFiles(join(DIST, 'esm'))
  .map((file) => readFileSync(file, 'utf8'))
  .join('\n');

type Field = { name: string; optional: boolean };
const fieldsOf = (typeName: string): Field[] => optionsOf(typeName);
const names = (fields: Field[]) => fields.map((field) => field.name).sort();
const required = (fields: Field[]) => names(fields.filter((field) => !field.optional));

test('every option name of every options interface is in both builds', () => {
  const options = (optionsInterfaces() as string[]).flatMap((typeName) =>
    names(fieldsOf(typeName)),
  );
  expect(options).toEqual(expect.arrayContaining(['maxBatchEvents', 'namespace', 'redactKeys']));
  const word = (name: string) => new RegExp(`(?<![\\w$])${name}(?![\\w$])`);
  expect(options.filter((name) => !word(name).test(iife))).toEqual([]);
  expect(options.filter((name) => !word(name).test(esm))).toEqual([]);
});

test('no internal property name is left long in either build', () => {
  // Mangled names are `_a` … `_Z`, `_aa` …: a longer `_name` is one the build missed.
  const long = /(?<![\w$#])_[a-z][\w$]{2,}/g;
  expect([...new Set(iife.match(long))]).toEqual([]);
  expect([...new Set(esm.match(long))]).toEqual([]);
  // and the build did shorten some (the convention is in use)
  expect(iife).toMatch(/\._[a-zA-Z]{1,2}\b/);
});

test('stats, event and diagnostic fields have their public names at run time (IIFE)', async ({
  tab,
}) => {
  await tab.goto('/e2e/console-iife.html');
  await tab.waitFor(() => (window as { done?: boolean }).done === true);
  const seen = await tab.evaluate(async () => {
    const lib = (window as any).MvxLogger;
    const upload = new lib.UploadSink({ url: '/collect', fetch: async () => new Response('{}') });
    const buffer = new lib.IndexedDbSink({ database: `mangle-${Math.random()}` });
    const events: Record<string, unknown>[] = [];
    const diagnostics: Record<string, unknown>[] = [];
    const log = new lib.LogContext({
      namespace: 'app',
      sinks: {
        capture: { log: (event: Record<string, unknown>) => events.push(event) },
        thrower: {
          log: () => {
            throw new Error('boom');
          },
        },
        upload,
        buffer,
      },
      onDiagnostic: (diagnostic: Record<string, unknown>) => diagnostics.push(diagnostic),
      traceContext: () => ({
        traceId: '0af7651916cd43dd8448eb211c80319c',
        spanId: 'b7ad6b7169203331',
        traceFlags: 1,
      }),
    });
    log.child('cart').info('hello', { items: 3 });
    const result = {
      uploadStats: Object.keys(upload.stats()),
      dropped: Object.keys(upload.stats().dropped),
      bufferStats: Object.keys(buffer.stats()),
      event: Object.keys(events[0] ?? {}),
      diagnostic: Object.keys(diagnostics[0] ?? {}),
      kind: diagnostics[0]?.kind,
    };
    await log.close();
    return result;
  });
  const asyncStats = fieldsOf('AsyncLogSinkStats');
  expect(seen.uploadStats.sort()).toEqual(names(asyncStats));
  // drop reasons: every one a plain word or kebab-case, the core ones present
  expect(seen.dropped.filter((reason) => !/^[a-z]+(-[a-z]+)*$/.test(reason))).toEqual([]);
  expect(seen.dropped).toEqual(
    expect.arrayContaining(['overflow', 'rejected', 'failed', 'closed']),
  );
  const bufferStats = fieldsOf('IndexedDbSinkStats');
  expect(names(bufferStats)).toEqual(expect.arrayContaining(seen.bufferStats.sort()));
  expect(seen.bufferStats).toEqual(expect.arrayContaining(required(bufferStats)));
  const event = fieldsOf('LogEvent');
  expect(names(event)).toEqual(expect.arrayContaining(seen.event.sort()));
  expect(seen.event).toEqual(
    expect.arrayContaining([...required(event), 'traceId', 'spanId', 'traceFlags', 'payload']),
  );
  expect(names(fieldsOf('LogDiagnostic'))).toEqual(expect.arrayContaining(seen.diagnostic.sort()));
  expect(seen.kind).toMatch(/^sink-threw/);
});
