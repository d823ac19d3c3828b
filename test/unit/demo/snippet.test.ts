import { readFileSync } from 'node:fs';
import { minify } from 'terser';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');

/** The minified snippet as documented in docs/async-snippet-and-cdn.md. */
function readmeSnippet(): string {
  const match = /<script>\n(!function\([a-z],[a-z]\)\{[^\n]+)\n<\/script>/.exec(
    read('docs/async-snippet-and-cdn.md'),
  );
  if (!match) throw new Error('docs/async-snippet-and-cdn.md: async loading snippet not found');
  return match[1];
}

describe('async loader snippet', () => {
  it('the docs show exactly the minified demo/public/snippet.js', async () => {
    const { code } = await minify(read('demo/public/snippet.js'), { compress: { passes: 2 } });
    expect(readmeSnippet()).toBe(code);
  });

  // Datadog's and Sentry's loader snippets are 0.5-2 KB; ours also queues child() and flush() and
  // says when the SDK failed to load.
  it('stays small', () => {
    expect(readmeSnippet().length).toBeLessThan(1600);
  });
});
