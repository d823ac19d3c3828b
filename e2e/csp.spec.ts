import type { APIRequestContext } from '@playwright/test';
import { engineCan, expect, test } from './fixtures.js';

// The IIFE under a strict CSP (no inline script, no eval, same-origin connections only) and under
// Trusted Types, in every engine: console, JSON + gzipped OTLP uploads and the IndexedDB buffer
// deliver, and the page sees no violation. Violations and uncaught errors are recorded in the page
// (e2e/public/csp-watch.js), since WebKit's WebDriver classic reports neither.

const EVENTS = 50;

/** One line for the CI log, with the engine's name. */
const say = (text: string) => console.log(`[csp e2e] ${test.info().project.name} ${text}`);

interface Violation {
  directive: string;
  blocked: string;
  sample: string;
}

async function unique(request: APIRequestContext, sid: string): Promise<number> {
  return (await (await request.get(`/stats?sid=${sid}`)).json()).unique;
}

/** Reports the server received for pages of this session. */
async function reportsFor(request: APIRequestContext, sid: string): Promise<any[]> {
  const all: string[] = await (await request.get('/csp-report')).json();
  return all.map((r) => JSON.parse(r)['csp-report']).filter((r) => r['document-uri'].includes(sid));
}

for (const mode of ['strict', 'tt'] as const) {
  test(`the IIFE logs and uploads under a ${mode === 'tt' ? 'Trusted Types' : 'strict'} CSP without a violation`, async ({
    engine,
    tab,
    request,
  }) => {
    const sid = `csp-${mode}-${Date.now().toString(36)}`;
    const url = `/e2e/csp.html?csp=${mode}&sid=${sid}`;
    // The policy the server sends with the page (the driver layer does not expose responses).
    const policy = (await request.get(url)).headers()['content-security-policy'];
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("connect-src 'self'");
    if (mode === 'tt') expect(policy).toContain("require-trusted-types-for 'script'");

    await tab.goto(url);
    expect(await tab.evaluate(() => (window as any).done)).toBe(true);
    // Trusted Types enforcement is checked only where the engine implements the API.
    const hasTrustedTypes = await tab.evaluate(() => 'trustedTypes' in window);
    const enforcesTrustedTypes = mode === 'tt' && hasTrustedTypes;
    if (mode === 'tt' && !hasTrustedTypes) {
      const description = `${engine.name}: skipped step "Trusted Types enforcement" (no window.trustedTypes; the strict CSP part still runs)`;
      test.info().annotations.push({ type: 'skipped step', description });
      say(description);
    }

    for (const suffix of ['json', 'otlp', 'buffer']) {
      await expect
        .poll(() => unique(request, `${sid}-${suffix}`), { timeout: 30_000 })
        .toBe(EVENTS);
    }
    expect(await tab.evaluate(() => (window as any).violations)).toEqual([]);
    expect(await tab.evaluate(() => (window as any).pageErrors)).toEqual([]);
    expect(await tab.evaluate(() => (window as any).diagnostics)).toEqual([]);
    if (engineCan(engine, 'supportsPageErrors', 'page errors reported by the driver')) {
      expect(await tab.pageErrors()).toEqual([]);
    }
    // The ConsoleSink wrote every event (recorded in the page: WebDriver classic has no console).
    const written: string[] = await tab.evaluate(() => (window as any).consoleLines);
    expect(written.filter((line) => line.includes('csp event'))).toHaveLength(EVENTS);

    // Control: a deliberate inline script is caught by both the event and the report endpoint,
    // so an empty list above means "no violation", not "not watching".
    const attempt = await tab.evaluate(() => (window as any).violate());
    await tab.waitFor(() => (window as any).violations.length === 1);
    await expect.poll(async () => (await reportsFor(request, sid)).length).toBe(1);
    const [violation] = (await tab.evaluate(() => (window as any).violations)) as Violation[];
    const [report] = await reportsFor(request, sid);
    const directive = enforcesTrustedTypes ? /trusted-types/ : /script-src/;
    expect(violation.directive).toMatch(directive);
    expect(report['violated-directive']).toMatch(directive);
    expect(await tab.evaluate(() => (window as any).inlineRan)).toBeUndefined();

    // Control for "no eval": a deliberate `new Function` is refused and seen as a violation.
    // It runs in a task of the page's own: code run by a driver's evaluate (CDP, BiDi) may eval.
    await tab.evaluate(() => {
      setTimeout(() => ((window as any).evalAttempt = (window as any).violateEval()));
    });
    await tab.waitFor(() => (window as any).evalAttempt !== undefined);
    const evalAttempt: string = await tab.evaluate(() => (window as any).evalAttempt);
    expect(evalAttempt).not.toBe('eval ran');
    await tab.waitFor(() => (window as any).violations.length >= 2);
    const evalViolations = ((await tab.evaluate(() => (window as any).violations)) as Violation[])
      .slice(1)
      .map(({ directive, blocked }) => ({ directive, blocked }));
    // Under Trusted Types the string reaches the `eval` sink check first.
    expect(evalViolations).toContainEqual(
      enforcesTrustedTypes
        ? { directive: 'require-trusted-types-for', blocked: 'trusted-types-sink' }
        : { directive: 'script-src', blocked: 'eval' },
    );
    say(
      `${mode}: ${EVENTS} events delivered per sink, 0 violations; control: ${attempt} → ` +
        `${violation.directive} (report: ${report['violated-directive']}); eval: ${JSON.stringify(evalViolations)}`,
    );
  });
}
