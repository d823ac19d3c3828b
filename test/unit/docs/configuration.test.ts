import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CONFIGURATION_MD,
  optionsTable,
  renderConfiguration,
  tabulatedInterfaces,
  // @ts-expect-error -- plain ESM module without types
} from '../../../scripts/configurationDocs.mjs';
// @ts-expect-error -- plain ESM module without types
import { optionsInterfaces } from '../../../scripts/apiSurface.mjs';

// docs/configuration.md's option tables are generated from the TSDoc of the options interfaces.
// (Computed at import: building the compiler program takes seconds on a busy machine.)
const text = readFileSync(CONFIGURATION_MD, 'utf8');
const rendered = renderConfiguration(text);

describe('docs/configuration.md', () => {
  it('is up to date with the TSDoc (run `npm run docs:config` when this fails)', () => {
    expect(rendered).toBe(text);
  });

  it('has a table for every exported options interface', () => {
    const missing = optionsInterfaces().filter(
      (name: string) => !tabulatedInterfaces(text).includes(name),
    );
    expect(missing).toEqual([]);
  });

  it('can fail: a stale row is rewritten from the TSDoc, with the default and meaning', () => {
    const stale = [
      '<!-- options: ConsoleSinkOptions -->',
      '| option | default | meaning |',
      '| `format` | `json` | stale |',
      '<!-- end options -->',
    ].join('\n');
    const fresh = renderConfiguration(stale);
    expect(fresh).not.toBe(stale);
    expect(fresh).toContain("| `format` | `'pretty'` |");
    expect(optionsTable('UploadSinkOptions', true)).not.toContain('maxBatchEvents');
    expect(optionsTable('UploadSinkOptions', false)).toContain('| `maxBatchEvents` | `100` |');
    expect(optionsTable('UploadSinkOptions', true)).toContain('| `url` | required |');
  });
});
