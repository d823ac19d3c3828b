import { expect, test, type APIRequestContext } from '@playwright/test';

const EVENTS = 50;

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
    page,
    request,
  }) => {
    const sid = `csp-${mode}-${Date.now().toString(36)}`;
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const response = await page.goto(`/e2e/csp.html?csp=${mode}&sid=${sid}`);
    const policy = response!.headers()['content-security-policy'];
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("connect-src 'self'");
    if (mode === 'tt') expect(policy).toContain("require-trusted-types-for 'script'");
    expect(await page.evaluate(() => (window as any).done)).toBe(true);

    for (const suffix of ['json', 'otlp', 'buffer']) {
      await expect
        .poll(() => unique(request, `${sid}-${suffix}`), { timeout: 15_000 })
        .toBe(EVENTS);
    }
    expect(await page.evaluate(() => (window as any).violations)).toEqual([]);
    expect(errors).toEqual([]);

    // Control: a deliberate inline script is caught by both the event and the report endpoint,
    // so an empty list above means "no violation", not "not watching".
    await page.evaluate(() => (window as any).violate());
    await expect.poll(() => page.evaluate(() => (window as any).violations.length)).toBe(1);
    await expect.poll(async () => (await reportsFor(request, sid)).length).toBe(1);
    const [report] = await reportsFor(request, sid);
    expect(report['violated-directive']).toMatch(mode === 'tt' ? /trusted-types/ : /script-src/);
    expect(await page.evaluate(() => (window as any).inlineRan)).toBeUndefined();
  });
}
