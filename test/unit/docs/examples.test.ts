import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appScope, examples, printed, run, stubPage, unstubPage } from './exampleRunner.js';

// Every ts/js/html example of README.md and docs/*.md, run in Node as a user would paste it: the
// SDK comes from `require('mvx-logger')` (or the `MvxLogger` global of the script-tag examples),
// the few app names an example assumes (`log`, `checkout`, `upload`, …) are given, `fetch` is a
// fake and the page is https://shop.example.com/. What the examples' comments promise is checked
// in examplePromises.test.ts; the browser-only one (the async snippet) and the script-tag quick
// start run in real engines in e2e/docsExamples.spec.ts.

/** Examples that need a page (`document`): run in the browser only. */
const BROWSER_ONLY = new Set(['docs/async-snippet-and-cdn.md#2']);

beforeEach(stubPage);
afterEach(unstubPage);

describe('every example of README.md and docs/*.md runs as written', () => {
  for (const example of examples) {
    if (BROWSER_ONLY.has(example.name)) continue;
    it(`${example.name} runs without throwing`, async () => {
      const { scope } = appScope();
      await expect(run(example, scope)).resolves.not.toThrow();
      // Node has no IndexedDB: the buffer's memory fallback is the only report allowed.
      const reports = printed('[mvx-logger]').map((line) => line.args.join(' '));
      expect(reports.filter((line) => !line.includes('indexeddb-unavailable'))).toEqual([]);
    });
  }
});
