import { format } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  closeLogSink,
  configureLogSink,
  ConsoleSink,
  getLogSink,
  listLogSinks,
  LogConfigError,
  LogContext,
  LogEventPolicy,
  LogSinkConflictError,
  resetLogSinks,
  type LogDiagnostic,
  type LogEvent,
  type LogSinkDescriptor,
  type LogSinkTerminator,
} from '../../../src/index.js';
import { createFakeConsole } from '../../fakes/fakeConsole.js';

/** The seed's MemorySink, package-managed. */
class MemorySink {
  static created = 0;
  static terminated = 0;
  readonly events: LogEvent[] = [];
  private closed = false;
  constructor(readonly options: { bucket: string; capacity?: number }) {}
  static buildDescriptor(options: { bucket: string; capacity?: number }): LogSinkDescriptor {
    return {
      sinkType: 'memory',
      resourceKey: ['memory', options.bucket],
      configKey: [options.capacity ?? 100],
    };
  }
  static create(options: { bucket: string; capacity?: number }): [MemorySink, LogSinkTerminator] {
    MemorySink.created++;
    const sink = new MemorySink(options);
    return [
      sink,
      () => {
        if (sink.closed) return;
        sink.closed = true;
        MemorySink.terminated++;
      },
    ];
  }
  log(event: LogEvent): void {
    if (!this.closed) this.events.push(event);
  }
}

afterEach(async () => {
  await resetLogSinks({ onDiagnostic: () => {} });
  MemorySink.created = 0;
  MemorySink.terminated = 0;
});

describe('sink registry', () => {
  it('returns the existing sink for an equal descriptor without calling create again', () => {
    const a = configureLogSink({ name: 'memory', sinkClass: MemorySink, bucket: 'test-events' });
    const b = configureLogSink({
      name: 'memory',
      sinkClass: MemorySink,
      bucket: 'test-events',
      capacity: 100,
    });
    expect(b).toBe(a);
    expect(MemorySink.created).toBe(1);
    expect(getLogSink('memory')).toBe(a);
    expect(listLogSinks()).toEqual(['memory']);
  });

  it('compares descriptors structurally, not by identity', () => {
    const build = vi.fn((o: { key: number[] }) => ({
      sinkType: 't',
      resourceKey: [{ k: o.key }],
      configKey: [],
    }));
    const cls = { buildDescriptor: build, create: () => [{ log() {} }, () => {}] as const };
    const a = configureLogSink({ name: 's', sinkClass: cls, key: [1, 2] });
    expect(configureLogSink({ name: 's', sinkClass: cls, key: [1, 2] })).toBe(a);
    expect(() => configureLogSink({ name: 's', sinkClass: cls, key: [1, 3] })).toThrow(
      LogSinkConflictError,
    );
  });

  it('equality is deep over arrays and plain objects, by identity for anything else', () => {
    let key: unknown[] = [];
    const cls = {
      buildDescriptor: () => ({ sinkType: 'd', resourceKey: ['d'], configKey: key }),
      create: () => [{ log() {} }, () => {}] as const,
    };
    const configure = () => configureLogSink({ name: 'd', sinkClass: cls });
    const shared = new Date(0);
    const nullProto = Object.assign(Object.create(null) as object, { b: 2, a: 1 });
    key = [{ a: 1, b: [2, { c: 3 }] }, shared, nullProto, 'x', NaN];
    const first = configure();
    key = [{ b: [2, { c: 3 }], a: 1 }, shared, { a: 1, b: 2 }, 'x', NaN]; // key order, proto null
    expect(configure()).toBe(first);
    for (const different of [
      [{ a: 1, b: [2, { c: 4 }] }, shared, nullProto, 'x', NaN],
      [{ a: 1, b: [2, { c: 3 }] }, new Date(0), nullProto, 'x', NaN], // equal, but not the same
      [{ a: 1, b: [2, { c: 3 }], d: undefined }, shared, nullProto, 'x', NaN],
      [{ a: 1, b: { 0: 2, 1: { c: 3 } } }, shared, nullProto, 'x', NaN], // array vs object
      [{ a: 1, b: [2, { c: 3 }] }, shared, nullProto, 'x'],
      [{ a: 1, b: [2, { c: 3 }] }, shared, null, 'x', NaN],
    ]) {
      key = different;
      expect(configure).toThrow(LogSinkConflictError);
    }
  });

  it('still throws the conflict when a descriptor cannot be shown as JSON', () => {
    const cls = (configKey: unknown[]) => ({
      buildDescriptor: () => ({ sinkType: 'big', resourceKey: [], configKey }),
      create: () => [{ log() {} }, () => {}] as const,
    });
    configureLogSink({ name: 'big', sinkClass: cls([1n]) });
    expect(() => configureLogSink({ name: 'big', sinkClass: cls([2n]) })).toThrow(
      /configureLogSink\('big'\): registered as 'big'; use another name/,
    );
  });

  it('rejects a create() that does not return [sink, terminator], leaving nothing registered', () => {
    const cls = {
      buildDescriptor: () => ({ sinkType: 'shape', resourceKey: [], configKey: [] }),
      create: () => [{ log() {} }] as never,
    };
    expect(() => configureLogSink({ name: 'shape', sinkClass: cls })).toThrow(
      /create\(\) must return \[sink, terminator\]/,
    );
    expect(listLogSinks()).toEqual([]);
  });

  it('closeLogSink reports a failing terminator and resolves', async () => {
    const diagnostics: LogDiagnostic[] = [];
    const failure = new Error('nope');
    configureLogSink({
      name: 'f',
      sinkClass: {
        buildDescriptor: () => ({ sinkType: 'f', resourceKey: [], configKey: [] }),
        create: () =>
          [
            { log() {} },
            () => {
              throw failure;
            },
          ] as const,
      },
    });
    await expect(
      closeLogSink('f', { onDiagnostic: (d) => diagnostics.push(d) }),
    ).resolves.toBeUndefined();
    expect(diagnostics).toEqual([
      { kind: 'terminator-failed:f', message: expect.stringContaining("'f'"), error: failure },
    ]);
    expect(listLogSinks()).toEqual([]);
  });

  it('throws a conflict naming the sink and both descriptors for a different descriptor', () => {
    configureLogSink({ name: 'memory', sinkClass: MemorySink, bucket: 'a' });
    let error: unknown;
    try {
      configureLogSink({ name: 'memory', sinkClass: MemorySink, bucket: 'b' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LogSinkConflictError);
    expect(error).toBeInstanceOf(LogConfigError);
    const message = (error as Error).message;
    expect(message).toContain("'memory'");
    expect(message).toContain('["memory","a"]');
    expect(message).toContain('["memory","b"]');
    // both descriptors in full, with their field names
    expect(message).toContain(JSON.stringify(MemorySink.buildDescriptor({ bucket: 'a' })));
    expect(message).toContain(JSON.stringify(MemorySink.buildDescriptor({ bucket: 'b' })));
    expect((error as Error).name).toBe('LogSinkConflictError');
  });

  it('builds the descriptor before create', () => {
    const order: string[] = [];
    const cls = {
      buildDescriptor: () => (
        order.push('describe'),
        { sinkType: 'x', resourceKey: [], configKey: [] }
      ),
      create: () => (order.push('create'), [{ log() {} }, () => {}] as const),
    };
    configureLogSink({ name: 'x', sinkClass: cls });
    expect(order).toEqual(['describe', 'create']);
  });

  it('keeps descriptors stable for equal configuration and different for conflicting configuration', () => {
    expect(MemorySink.buildDescriptor({ bucket: 'a' })).toEqual(
      MemorySink.buildDescriptor({ bucket: 'a' }),
    );
    expect(MemorySink.buildDescriptor({ bucket: 'a' })).not.toEqual(
      MemorySink.buildDescriptor({ bucket: 'a', capacity: 5 }),
    );
    expect(ConsoleSink.buildDescriptor({ format: 'json' })).toEqual(
      ConsoleSink.buildDescriptor({ format: 'json' }),
    );
    expect(ConsoleSink.buildDescriptor({ format: 'json' })).not.toEqual(
      ConsoleSink.buildDescriptor(),
    );
  });

  it('closeLogSink runs the terminator once and forgets the name; twice or unknown is harmless', async () => {
    const terminator = vi.fn();
    const cls = {
      buildDescriptor: () => ({ sinkType: 't', resourceKey: [], configKey: [] }),
      create: () => [{ log() {} }, terminator] as const,
    };
    configureLogSink({ name: 't', sinkClass: cls });
    await closeLogSink('t');
    await closeLogSink('t');
    await closeLogSink('never-registered');
    expect(terminator).toHaveBeenCalledTimes(1);
    expect(getLogSink('t')).toBeUndefined();
    // the name can be registered again, now with another descriptor
    configureLogSink({ name: 't', sinkClass: MemorySink, bucket: 'new' });
    expect(MemorySink.created).toBe(1);
  });

  it('terminators are safe on a never-used sink and idempotent', async () => {
    const [sink, terminate] = MemorySink.create({ bucket: 'unused' });
    await terminate();
    await terminate();
    expect(MemorySink.terminated).toBe(1);
    sink.log({} as LogEvent);
    expect(sink.events).toHaveLength(0);
    const [, consoleTerminator] = ConsoleSink.create();
    await consoleTerminator();
    await consoleTerminator();
  });

  it('does not create two sinks when configure is called for the same name while create runs', () => {
    let inner: unknown;
    const cls = {
      buildDescriptor: () => ({ sinkType: 'r', resourceKey: [], configKey: [] }),
      create: () => {
        try {
          configureLogSink({ name: 'r', sinkClass: cls });
        } catch (e) {
          inner = e;
        }
        return [{ log() {} }, () => {}] as const;
      },
    };
    const created = vi.spyOn(cls, 'create');
    const a = configureLogSink({ name: 'r', sinkClass: cls });
    const results = [1, 2, 3].map(() => configureLogSink({ name: 'r', sinkClass: cls }));
    expect(created).toHaveBeenCalledTimes(1);
    expect(inner).toBeInstanceOf(LogConfigError);
    expect(results.every((r) => r === a)).toBe(true);
  });

  it('parallel configure calls from async tasks share one sink', async () => {
    const sinks = await Promise.all(
      Array.from({ length: 10 }, async () => {
        await Promise.resolve();
        return configureLogSink({ name: 'p', sinkClass: MemorySink, bucket: 'par' });
      }),
    );
    expect(new Set(sinks).size).toBe(1);
    expect(MemorySink.created).toBe(1);
  });

  it('a create that throws leaves nothing registered and says why', () => {
    const cls = {
      buildDescriptor: () => ({ sinkType: 'bad', resourceKey: [], configKey: [] }),
      create: () => {
        throw new Error('no backend');
      },
    };
    expect(() => configureLogSink({ name: 'bad', sinkClass: cls as never })).toThrow(
      /create\(\) failed: Error: no backend/,
    );
    expect(getLogSink('bad')).toBeUndefined();
  });

  it('fails fast on a missing name or an unmanageable class', () => {
    expect(() => configureLogSink({ name: '', sinkClass: MemorySink, bucket: 'x' })).toThrow(
      LogConfigError,
    );
    expect(() => configureLogSink({ name: 'x', sinkClass: {} as never })).toThrow(
      /buildDescriptor/,
    );
  });

  it('resetLogSinks closes all in parallel, reports failing terminators and forgets every sink', async () => {
    const diagnostics: LogDiagnostic[] = [];
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    const order: string[] = [];
    const make = (terminator: LogSinkTerminator) => ({
      buildDescriptor: () => ({ sinkType: 'x', resourceKey: [], configKey: [] }),
      create: () => [{ log() {} }, terminator] as const,
    });
    configureLogSink({
      name: 'slow',
      sinkClass: make(async () => {
        order.push('slow-start');
        await slow;
        order.push('slow-end');
      }),
    });
    configureLogSink({
      name: 'throws',
      sinkClass: make(() => {
        throw new Error('terminator exploded');
      }),
    });
    configureLogSink({
      name: 'rejects',
      sinkClass: make(() => Promise.reject(new Error('terminator rejected'))),
    });
    configureLogSink({
      name: 'fine',
      sinkClass: make(() => {
        order.push('fine');
      }),
    });
    const reset = resetLogSinks({ onDiagnostic: (d) => diagnostics.push(d) });
    expect(listLogSinks()).toEqual([]);
    await Promise.resolve();
    expect(order).toEqual(['slow-start', 'fine']); // started in parallel, not one after another
    release();
    await reset;
    expect(order).toEqual(['slow-start', 'fine', 'slow-end']);
    expect(diagnostics.map((d) => d.kind).sort()).toEqual([
      'terminator-failed:rejects',
      'terminator-failed:throws',
    ]);
  });

  it('plugs registered sinks into a LogContext by name so policy filters address them', () => {
    const fake = createFakeConsole();
    const memory = configureLogSink({ name: 'memory', sinkClass: MemorySink, bucket: 'ctx' });
    const console = configureLogSink({
      name: 'console',
      sinkClass: ConsoleSink,
      console: fake.console,
    });
    const policy = new LogEventPolicy().setFilter('console', '', 'error');
    const log = new LogContext({ sinks: { memory, console }, policy });
    log.info('to memory only');
    log.error('to both');
    expect(memory.events.map((e) => e.message)).toEqual(['to memory only', 'to both']);
    expect(fake.calls.map((c) => format(...c.args))).toEqual(['ERROR to both']);
  });
});

describe('configureLogSink arguments', () => {
  afterEach(() => resetLogSinks());

  it('non-object arguments and misspelled sink options are a LogConfigError, never a TypeError', () => {
    expect(() => configureLogSink(null as never)).toThrow(LogConfigError);
    expect(() => configureLogSink('console' as never)).toThrow(LogConfigError);
    expect(() =>
      configureLogSink({ name: 'console', sinkClass: ConsoleSink, fromat: 'json' } as never),
    ).toThrow(/ConsoleSink: unknown option `fromat` \(did you mean `format`\?\)/);
    expect(listLogSinks()).toEqual([]);
  });
});
