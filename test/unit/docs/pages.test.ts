import { existsSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { anchors, docsPages, ROOT, splitCode } from './markdown.js';

// The README is short and links every docs page; every relative link and anchor resolves (as
// GitHub and npm render them).
const pages = docsPages();
const readme = pages.find((p) => p.file === 'README.md')!.text;

describe('README and docs pages', () => {
  it('the README fits in about 300 lines', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(300);
  });

  it('the README links every docs page', () => {
    const unlinked = pages
      .filter((p) => p.file !== 'README.md')
      .filter((p) => !readme.includes(`](${p.file})`) && !readme.includes(`](${p.file}#`))
      .map((p) => p.file);
    expect(unlinked).toEqual([]);
  });

  it("the README ends with the contributors' two commands", () => {
    const contributing = readme.slice(readme.lastIndexOf('\n## '));
    expect(contributing).toContain('npm run demo');
    expect(contributing).toContain('npm test');
  });

  it('every relative link and anchor resolves', () => {
    const broken: string[] = [];
    for (const { file, text } of pages) {
      for (const [, target] of splitCode(text).prose.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target)) continue;
        const [path, anchor] = target.split('#');
        const resolved = path ? normalize(join(dirname(join(ROOT, file)), path)) : join(ROOT, file);
        const page = pages.find((p) => join(ROOT, p.file) === resolved);
        if (!existsSync(resolved)) broken.push(`${file}: ${target} (no such file)`);
        else if (anchor && page && !anchors(page.text).has(anchor))
          broken.push(`${file}: ${target} (no such heading)`);
      }
    }
    expect(broken).toEqual([]);
  });
});
