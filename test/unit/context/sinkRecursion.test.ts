import { describe, expect, it } from 'vitest';
import { LogContext, type LogDiagnostic, type LogEvent } from '../../../src/index.js';
import { MAX_NESTED_DISPATCH } from '../../../src/context/tree.js';
import { MemorySink } from '../../fakes/memorySink.js';

describe('a sink that logs through its own context', () => {
  it('is stopped after a few nested levels, reported once, and the app call returns', () => {
    const diagnostics: LogDiagnostic[] = [];
    const seen: LogEvent[] = [];
    // Logs every event it is given through the context that gave it: unbounded recursion.
    const echoing = {
      log(event: LogEvent) {
        seen.push(event);
        log.info(`saw ${event.message}`);
      },
    };
    const log = new LogContext({ sinks: echoing, onDiagnostic: (d) => diagnostics.push(d) });
    expect(() => log.info('start')).not.toThrow();
    expect(seen.map((event) => event.message)).toEqual(
      Array.from({ length: MAX_NESTED_DISPATCH }, (_, depth) => 'saw '.repeat(depth) + 'start'),
    );
    log.info('again');
    expect(seen).toHaveLength(2 * MAX_NESTED_DISPATCH); // the depth went back to 0
    expect(diagnostics.map((d) => d.kind)).toEqual(['log-recursion']);
  });

  it('a sink logging once about its own work is not cut', () => {
    const memory = new MemorySink();
    const reporting = {
      log(event: LogEvent) {
        if (!event.namespace.startsWith('sdk')) log.child('sdk').debug('handled', { id: event.id });
      },
    };
    const diagnostics: LogDiagnostic[] = [];
    const log = new LogContext({
      sinks: { reporting, memory },
      onDiagnostic: (d) => diagnostics.push(d),
    });
    log.child('app').child('deep').info('order placed');
    expect(memory.events.map((event) => event.message)).toEqual(['handled', 'order placed']);
    expect(diagnostics).toEqual([]);
  });

  it('a revoked Proxy bound as child context is unreadable data, not a TypeError', () => {
    const memory = new MemorySink();
    const log = new LogContext({ sinks: memory, context: { app: 'shop' } });
    const { proxy, revoke } = Proxy.revocable({ user: 'u1' }, {});
    revoke();
    const child = log.child('cart', proxy);
    child.info('added');
    expect(memory.events[0]).toMatchObject({ namespace: 'cart', context: { app: 'shop' } });
  });
});
