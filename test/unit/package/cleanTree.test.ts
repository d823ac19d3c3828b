import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// `npm test` must leave `git status` clean (issue 16): what the e2e specs write (screenshots)
// goes to ignored paths; only `npm run docs:screenshot` updates the tracked docs/demo.png.

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const specFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? specFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );

/** Every image path an e2e file names (`new URL('../x.png', import.meta.url)` or a plain path). */
function imagePaths(): string[] {
  return specFiles(join(ROOT, 'e2e')).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/['"`]([^'"`\s]+\.(?:png|jpe?g))['"`]/g)].map(
      ([, path]) => relative(ROOT, resolve(dirname(file), path)),
    ),
  );
}

const ignored = (path: string) => {
  try {
    execFileSync('git', ['check-ignore', '-q', path], { cwd: ROOT });
    return true;
  } catch {
    return false;
  }
};

describe('npm test leaves the working tree clean', () => {
  it('the e2e specs write their images to git-ignored paths only', () => {
    const paths = imagePaths();
    expect(paths).toContain('.demo/demo.png'); // the demo screenshot, found by the scan
    expect(paths.filter((path) => !ignored(path))).toEqual([]);
  });

  it('docs/demo.png is tracked and written only by `npm run docs:screenshot`', () => {
    expect(ignored('docs/demo.png')).toBe(false);
    const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts;
    const writers = Object.keys(scripts).filter((name) => scripts[name].includes('docs/demo.png'));
    expect(writers).toEqual(['docs:screenshot']);
    expect(scripts.test).not.toContain('docs:screenshot');
  });
});
