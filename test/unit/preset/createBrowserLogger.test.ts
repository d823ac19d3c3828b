import { format } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createBrowserLogger,
  LogConfigError,
  LogContext,
  type LogDiagnostic,
} from '../../../src/index.js';
import { createFakeFetch } from '../../fakes/fetch.js';

// createBrowserLogger uses the platform's globals (console, fetch, events) by design: it has no
// injection options. The tests replace the globals for their duration and restore them.
afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

function spyConsole() {
  const lines: string[] = [];
  for (const method of ['debug', 'info', 'warn', 'error'] as const)
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      lines.push(`${method} ${format(...args)}`);
    });
  return lines;
}

describe('createBrowserLogger', () => {
  it('without url: a console logger at info and above', async () => {
    const lines = spyConsole();
    const log = createBrowserLogger({ namespace: 'com.acme.shop' });
    expect(log).toBeInstanceOf(LogContext);
    log.child('cart').debug('hidden');
    log.child('cart').info('shown', { items: 3 });
    expect(lines).toEqual(['info INFO [com.acme.shop/cart] shown { items: 3 }']);
    expect(log.isEnabled('debug')).toBe(false);
    await log.close();
  });

  it('consoleLevel sets the console threshold', async () => {
    const lines = spyConsole();
    const log = createBrowserLogger({ consoleLevel: 'warn' });
    log.info('hidden');
    log.warn('shown');
    expect(lines).toEqual(['warn WARN shown']);
    await log.close();
  });

  it('with url: uploads through the buffer at uploadLevel, in the chosen encoding', async () => {
    spyConsole();
    const fake = createFakeFetch();
    vi.stubGlobal('fetch', fake.fetch);
    const diagnostics: LogDiagnostic[] = [];
    const log = createBrowserLogger({
      namespace: 'app',
      url: 'https://logs.example.com/v1/logs',
      encoding: 'otlp',
      resource: { 'service.name': 'shop-web' },
      consoleLevel: 'error',
      uploadLevel: 'warn',
      onDiagnostic: (d) => diagnostics.push(d),
    });
    log.info('not uploaded');
    log.warn('uploaded');
    await log.flush(5000);
    await vi.waitFor(() => expect(fake.calls.length).toBeGreaterThan(0), { timeout: 5000 });
    const body = JSON.parse(fake.calls[0].text);
    const records = body.resourceLogs[0].scopeLogs[0].logRecords;
    expect(fake.calls[0].url).toBe('https://logs.example.com/v1/logs');
    expect(records.map((r: { body: { stringValue: string } }) => r.body.stringValue)).toEqual([
      'uploaded',
    ]);
    expect(JSON.stringify(body.resourceLogs[0].resource)).toContain('shop-web');
    // Node has no IndexedDB: the buffer says so through the logger's onDiagnostic.
    expect(diagnostics.map((d) => d.kind)).toContain('indexeddb-unavailable');
    await log.close();
  });

  it('captureErrors: logs uncaught errors through the errors child; close() uninstalls it', async () => {
    const lines = spyConsole();
    const target = new EventTarget();
    vi.stubGlobal('addEventListener', target.addEventListener.bind(target));
    vi.stubGlobal('removeEventListener', target.removeEventListener.bind(target));
    const log = createBrowserLogger({ namespace: 'app', captureErrors: true });
    const uncaught = (message: string) =>
      target.dispatchEvent(Object.assign(new Event('error'), { error: new Error(message) }));
    uncaught('boom');
    await log.close();
    uncaught('after close');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error ERROR \[app\/errors\] Error: boom/);
  });

  it('rejects unknown options and bad values with a LogConfigError', () => {
    expect(() => createBrowserLogger({ uplaodLevel: 'warn' } as never)).toThrow(
      /createBrowserLogger: unknown option `uplaodLevel` \(did you mean `uploadLevel`\?\)/,
    );
    expect(() => createBrowserLogger(null as never)).toThrow(LogConfigError);
    expect(() => createBrowserLogger({ consoleLevel: 'loud' as never })).toThrow(/consoleLevel/);
    expect(() => createBrowserLogger({ url: '' })).toThrow(/url/);
    expect(() => createBrowserLogger({ captureErrors: 'yes' as never })).toThrow(/captureErrors/);
  });
});
