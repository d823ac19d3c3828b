import { readFileSync } from 'node:fs';
import { minify } from 'terser';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');

/** The minified snippet as documented in the README's "Async loading snippet" section. */
function readmeSnippet(): string {
  const match = /<script>\n(!function\(n,e\)\{[^\n]+)\n<\/script>/.exec(read('README.md'));
  if (!match) throw new Error('README: async loading snippet not found');
  return match[1];
}

describe('async loader snippet', () => {
  it('README shows exactly the minified demo/public/snippet.js', async () => {
    const { code } = await minify(read('demo/public/snippet.js'), { compress: { passes: 2 } });
    expect(readmeSnippet()).toBe(code);
  });

  it('stays small', () => {
    expect(readmeSnippet().length).toBeLessThan(1024);
  });
});
