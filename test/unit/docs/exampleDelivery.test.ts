import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  fingersCrossed,
  IndexedDbSink,
  LogContext,
  LogEvent,
  stormGuard,
} from '../../../src/index.js';
import {
  appScope,
  example,
  printed,
  recorded,
  run,
  stubPage,
  unstubPage,
} from './exampleRunner.js';

// The delivery, recipes, capture and workers examples of docs/, run as written (see
// exampleRunner.ts), checked against what their comments and text promise.

beforeEach(stubPage);
afterEach(unstubPage);

describe('delivery examples', () => {
  it('UploadSink: a relative URL resolves against the page, OTLP with the resource', async () => {
    const { scope } = appScope();
    const upload = example('docs/sinks-and-delivery.md#1', 'relative URLs resolve');
    expect(await run(upload, scope, 'return log.flush(5000);')).toBe(true);
    const [call] = recorded.fetch.calls;
    expect(call!.url).toBe('https://shop.example.com/v1/logs');
    expect(call!.headers['Content-Type']).toBe('application/json');
    expect(call!.text).toContain('"service.version"');
    expect(call!.text).toContain('checkout started');
  });

  it('IndexedDbSink in front of upload: default database named after drainTo, delivers', async () => {
    const { scope } = appScope();
    const durable = example('docs/sinks-and-delivery.md#2', '10 000 events / 5 MiB');
    const buffer = (await run(
      durable,
      scope,
      'await log.flush(5000); return buffer;',
    )) as IndexedDbSink;
    expect(buffer.database).toBe('mvx-logger:https://logs.example.com/v1/logs');
    expect(recorded.fetch.calls[0]!.text).toContain('checkout started');
  });

  it('logs for a bug report: export as NDJSON or an array, filtered, then clear', async () => {
    const { scope } = appScope();
    const report = example('docs/sinks-and-delivery.md#3', 'recent.export(');
    const result = (await run(
      report,
      scope,
      `return { ndjson, errors, after: await recent.export({ format: 'array' }), recent };`,
    )) as { ndjson: string; errors: LogEvent[]; after: LogEvent[]; recent: IndexedDbSink };
    expect(result.ndjson).toBe(''); // nothing logged before the export in the example
    expect(result.errors).toEqual([]);
    expect(result.after).toEqual([]);
    expect(result.recent.database).toBe('support-logs');
  });

  it('logs for a bug report: the same calls filter by level, namespace and time', async () => {
    const { scope } = appScope();
    const report = example('docs/sinks-and-delivery.md#3', 'recent.export(');
    // The example with a few events logged where it says "…later":
    const source = report.script.replace(
      '// …later, when the user files a report:',
      `log.child('checkout').error('payment failed'); log.child('checkout').debug('noise');
       log.child('search').error('elsewhere'); log.child('checkout').info('retry');`,
    );
    expect(source).not.toBe(report.script);
    const result = (await run(
      { ...report, script: source },
      scope,
      'return { ndjson, errors };',
    )) as {
      ndjson: string;
      errors: LogEvent[];
    };
    const lines = result.ndjson
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).message);
    expect(lines).toEqual(['payment failed', 'elsewhere', 'retry']); // info and above
    expect(result.errors.map((event) => event.message)).toEqual(['payment failed']);
  });
});

describe('recipes, capture and workers examples', () => {
  it('SPA route change: a new child per route, bound route and from/to payload', async () => {
    const { scope, appEvents } = appScope();
    const routes = example('docs/recipes.md#1', 'onRouteChange');
    const pageLog = (await run(
      routes,
      { ...scope, location: { pathname: '/cart' } },
      "exports.onRouteChange('/cart', '/pay'); return exports.pageLog();",
    )) as LogContext;
    pageLog.info('on the new page');
    expect(appEvents.map((event) => [event.message, event.namespace, event.context])).toEqual([
      ['route change', 'com.acme.shop/page', { route: '/pay' }],
      ['on the new page', 'com.acme.shop/page', { route: '/pay' }],
    ]);
    expect(appEvents[0]!.payload).toEqual({ from: '/cart', to: '/pay' });
  });

  it('capture: uncaught errors and console.warn/error reach the given contexts; stop undoes it', async () => {
    const { scope, appEvents } = appScope();
    const capture = example('docs/capture.md#1', 'captureConsole(log.child');
    const target = new EventTarget();
    const stops = (await run(
      {
        ...capture,
        script: capture.script.replace("log.child('errors')", "log.child('errors'), { target }"),
      },
      { ...scope, target },
      'return [stopErrors, stopConsole];',
    )) as (() => void)[];
    console.warn('low disk');
    console.info('not captured');
    const error = new Error('boom');
    target.dispatchEvent(Object.assign(new Event('error'), { error, message: 'boom' }));
    for (const stop of stops) stop();
    console.error('after stop');
    expect(appEvents.map((event) => [event.namespace, event.level, event.message])).toEqual([
      ['com.acme.shop/console', 'warn', 'low disk'],
      ['com.acme.shop/errors', 'error', 'Error: boom'], // "Name: message",
    ]);
  });

  it('service worker: fetch and message events are logged, waitUntil gets the flush', async () => {
    const { scope } = appScope();
    const sw = example('docs/workers.md#2', 'event.waitUntil(log.flush())');
    await run(sw, scope);
    const waited: Promise<unknown>[] = [];
    const self = scope.self as EventTarget;
    self.dispatchEvent(Object.assign(new Event('fetch'), { request: { url: 'https://x/a.css' } }));
    self.dispatchEvent(
      Object.assign(new Event('message'), {
        data: { type: 'sync' },
        waitUntil: (promise: Promise<unknown>) => waited.push(promise),
      }),
    );
    expect(waited).toHaveLength(1);
    expect(await waited[0]).toBe(true);
    expect(recorded.fetch.calls[0]!.text).toContain('https://x/a.css');
    expect(recorded.fetch.calls[0]!.text).toContain('"sync"');
  });
});

describe('fingers-crossed and storm protection examples', () => {
  it('fingersCrossed: the error ships the held debug of its scope first, the other stays held', async () => {
    const { scope } = appScope();
    const ring = example('docs/sinks-and-delivery.md#4', "scope: 'namespace'");
    const buffer = (await run(ring, scope, 'await log.flush(5000); return buffer;')) as ReturnType<
      typeof fingersCrossed
    >;
    const body = recorded.fetch.calls.map((call) => call.text).join('\n');
    expect(body.indexOf('cart loaded')).toBeGreaterThan(-1);
    expect(body.indexOf('cart loaded')).toBeLessThan(body.indexOf('payment failed'));
    expect(body).not.toContain('query');
    expect(buffer.stats()).toMatchObject({ received: 3, triggers: 1, released: 1, held: 1 });
    expect(printed('payment failed')).toHaveLength(1);
    expect(printed('cart loaded')).toEqual([]); // the console's filter is info
  });

  it('stormGuard: a console limited per level, identical copies counted into the next', async () => {
    const { scope } = appScope();
    const guard = example('docs/sinks-and-delivery.md#5', 'suppressDuplicates: true');
    const stats = (await run(
      guard,
      scope,
      `for (let i = 0; i < 5; i++) log.error('frame failed');
       log.error('other');
       return devtools.stats();`,
    )) as ReturnType<ReturnType<typeof stormGuard>['stats']>;
    expect(stats).toMatchObject({ received: 6, forwarded: 2 });
    expect(stats.suppressed['duplicate-suppressed']).toBe(4);
    expect(printed('frame failed')).toHaveLength(1);
    const other = printed('other')[0]!.args.at(-1); // the context, after the payload
    expect(other).toEqual({ repeated: 4 });
  });
});
