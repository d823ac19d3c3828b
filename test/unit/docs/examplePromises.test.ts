import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  getLogSink,
  type IndexedDbSink,
  LogConfigError,
  LogContext,
  type LogSink,
  UploadSink,
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
import { docsPages } from './markdown.js';

// What the docs' examples say in their comments and surrounding text, checked on the examples
// themselves (run as written; see exampleRunner.ts). Each test names its example and a line of
// it, so an edited example fails here instead of silently checking something else.

beforeEach(stubPage);
afterEach(unstubPage);

const uploadedText = () => recorded.fetch.calls.map((call) => call.text).join('\n');

describe('the README examples do what their comments say', () => {
  it('two-line start: console shows the event and the upload path sends it as OTLP', async () => {
    const { scope } = appScope();
    const quickStart = example('README.md#1', 'createBrowserLogger({');
    expect(await run(quickStart, scope, 'return log.flush(5000);')).toBe(true);
    expect(printed('order placed')).toHaveLength(1);
    expect(recorded.fetch.calls.map((call) => call.url)).toEqual([
      'https://shop.example.com/v1/logs',
    ]);
    expect(uploadedText()).toContain('"resourceLogs"');
    expect(uploadedText()).toContain('order placed');
  });

  it('script tag: the checkout debug line is shown, the search one filtered out', async () => {
    const { scope } = appScope();
    await run(example('README.md#2', "debug('query'"), scope);
    expect(printed('cart updated').map((line) => line.method)).toEqual(['debug']);
    expect(printed('query')).toEqual([]);
  });

  it('bundler: console at info, the buffer takes checkout debug with the bound context', async () => {
    const { scope } = appScope();
    const bundler = example('README.md#3', 'expensiveSnapshot()');
    // `export const log`: a CommonJS export once transpiled
    expect(await run(bundler, scope, 'return exports.log.flush(5000);')).toBe(true);
    expect(printed('item added').map((line) => line.method)).toEqual(['info']);
    expect(printed('cart state')).toEqual([]); // debug: below the console's info
    const body = JSON.parse(recorded.fetch.calls[0]!.text) as {
      resourceLogs: { resource: { attributes: { key: string }[] }; scopeLogs: unknown[] }[];
    };
    const text = JSON.stringify(body);
    expect(text).toContain('cart state'); // the buffer accepts debug under checkout
    expect(text).toContain('"lines"'); // the lazy payload ran
    expect(text).toContain('c-42'); // the child's bound cartId
    expect(text).toContain('1.4.2'); // the root's bound release and the resource
    expect(body.resourceLogs[0]!.resource.attributes.map((a) => a.key)).toContain('service.name');
  });

  it('filter tree: the table under the example is what the policy decides', async () => {
    const { scope } = appScope();
    const tree = example('README.md#4', 'sample(0.1)');
    const decides = (await run(
      tree,
      scope,
      `return (namespace, level) => policy.accepts('console',
        { namespace, level, severity: LOG_SEVERITY[level], message: '', time: 0 });`,
    )) as (namespace: string, level: string) => boolean;
    expect(decides('com.acme.shop/checkout/cart', 'debug')).toBe(true);
    expect(decides('com.acme.shop/search', 'debug')).toBe(false);
    expect(decides('com.acme.shop/search', 'warn')).toBe(true);
  });
});

describe('the docs examples do what their comments say', () => {
  it('concepts: the error is copied with its fields, the password redacted', async () => {
    const { scope } = appScope();
    await run(example('docs/concepts.md#2', "password: 'hunter2'"), scope);
    const [line] = printed('checkout failed');
    expect(line!.method).toBe('error');
    const payload = line!.args.find((arg) => typeof arg == 'object') as Record<string, never>;
    expect(payload.user).toEqual({ id: 7, password: '[REDACTED]' });
    expect(payload.error).toMatchObject({
      name: 'Error',
      message: 'card declined',
      code: 'E_CARD',
    });
    expect(payload.cart).toEqual({ id: 'c-42', items: 3 });
  });

  it('custom sink: NdjsonSink posts one line per event to its endpoint', async () => {
    const { scope } = appScope();
    const ndjson = example('docs/custom-sinks-and-registry.md#1', 'class NdjsonSink');
    const delivered = await run(
      ndjson,
      scope,
      `const sink = new NdjsonSink('https://logs.example.com/ndjson');
       const log = new LogContext({ namespace: 'shop', sinks: { sink } });
       log.info('one'); log.warn('two');
       await log.flush(5000);
       return sink.stats().delivered;`,
    );
    expect(delivered).toBe(2);
    const [call] = recorded.fetch.calls;
    expect(call!.url).toBe('https://logs.example.com/ndjson');
    expect(call!.text.split('\n').map((line) => JSON.parse(line).message)).toEqual(['one', 'two']);
  });

  it('custom sink options: optionNames lets `endpoint` through, a typo still fails', async () => {
    const { scope } = appScope();
    const httpSink = example('docs/custom-sinks-and-registry.md#2', 'static optionNames');
    const make = (await run(httpSink, scope, 'return (o) => new HttpSink(o);')) as (
      options: object,
    ) => LogSink & { close(): Promise<void> };
    const sink = make({ endpoint: 'https://logs.example.com/http', maxBatchEvents: 5 });
    const log = new LogContext({ sinks: { http: sink } });
    log.info('sent');
    await log.close(); // delivers what is queued
    expect(
      recorded.fetch.calls.map((call) => [call.url, JSON.parse(call.text)[0].message]),
    ).toEqual([['https://logs.example.com/http', 'sent']]);
    expect(() => make({ endpoint: '/x', maxRetry: 2 })).toThrow(LogConfigError);
    expect(() => make({ endpont: '/x' })).toThrow(/did you mean `endpoint`/);
  });

  it('panel sink: any object with log(event) is a sink', async () => {
    const { scope } = appScope();
    const prepended: unknown[] = [];
    const list = { prepend: (item: unknown) => prepended.push(item) };
    await run(
      example('docs/custom-sinks-and-registry.md#3', 'const panelSink'),
      { ...scope, list },
      `new LogContext({ namespace: 'demo', sinks: { panel: panelSink } }).info('shown');`,
    );
    expect(prepended).toEqual(['shown']);
  });

  it('registry: the names in `sinks` are what the policy addresses; sinks are shared', async () => {
    const { scope } = appScope();
    const registry = example('docs/custom-sinks-and-registry.md#4', 'configureLogSink({');
    await run(registry, scope, "log.info('not shown'); log.warn('shown'); return log.flush(5000);");
    expect(printed('shown').map((line) => line.args.join(' '))).toEqual([
      expect.stringContaining('WARN [com.acme.shop] shown'),
    ]);
    expect(getLogSink('upload')).toBeInstanceOf(UploadSink);
    expect(uploadedText()).toContain('not shown'); // no filter for upload: everything
  });

  it('memory sink: registered by name, closed by closeLogSink', async () => {
    const { scope } = appScope();
    const memory = example('docs/custom-sinks-and-registry.md#5', 'class MemorySink');
    const events = (await run(
      memory,
      scope,
      `const log = new LogContext({ namespace: 'test', sinks: { memory } });
       log.info('kept');
       await closeLogSink('memory');
       log.info('after close');
       return memory.events.map((e) => e.message);`,
    )) as string[];
    expect(events).toEqual(['kept']);
  });

  it('IndexedDbSink in the registry: keyed on its database, drains to `upload`', async () => {
    const { scope } = appScope();
    await run(example('docs/custom-sinks-and-registry.md#6', 'sinkClass: IndexedDbSink'), scope);
    const buffer = getLogSink('buffer') as IndexedDbSink;
    expect(buffer.drainTo).toBe(scope.upload);
    expect(buffer.database).toBe('mvx-logger:https://logs.example.com/v1/logs');
  });

  it('OpenTelemetry Collector: the UploadSinks resolve their URL and keep the encoding', async () => {
    const { scope } = appScope();
    for (const [name, line, url] of [
      ['docs/opentelemetry-collector.md#1', 'gzip: true', 'https://otel.example.com:4318/v1/logs'],
      ['docs/opentelemetry-collector.md#2', "url: '/v1/logs'", 'https://shop.example.com/v1/logs'],
    ] as const) {
      const source = example(name, line).source.trim(); // a bare `new UploadSink({ … });`
      const built = (await run(
        { ...example(name, line), script: `return ${source}` },
        scope,
      )) as UploadSink;
      expect([built.url, built.encoding]).toEqual([url, 'otlp']);
      await built.close();
    }
  });

  it('the JSON encoding: a body logged the way the page shows it has exactly its shape', async () => {
    const page = docsPages().find((p) => p.file === 'docs/opentelemetry-collector.md')!;
    const shown = JSON.parse(/^```json\n([\s\S]*?)^```$/m.exec(page.text)![1]!);
    const { scope } = appScope();
    await run(
      { name: 'json body', language: 'ts', source: '', script: '' },
      scope,
      `const upload = new UploadSink({ url: '/collect', resource: { 'service.name': 'shop' } });
       const log = new LogContext({ namespace: 'com.acme.shop', sinks: { upload }, context: { release: '1.4.2' } });
       log.child('checkout').info('checkout started', { cartId: 'c-42', items: 3 });
       await log.flush(5000);`,
    );
    const sent = JSON.parse(recorded.fetch.calls[0]!.text);
    const event = sent.events[0];
    const keys = (value: object) => Object.keys(value).sort(); // JSON objects have no order
    expect(keys(sent)).toEqual(keys(shown));
    expect(sent.resource).toEqual(shown.resource);
    expect(keys(event)).toEqual(keys(shown.events[0]));
    expect({ ...event, id: 'id', time: 0 }).toEqual({ ...shown.events[0], id: 'id', time: 0 });
    expect(event.id).toMatch(/^[0-9a-z]+-[0-9a-z]+$/); // the shape of the page's "k3x9q2m7v1b8-1a"
  });
});
