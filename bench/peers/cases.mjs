// The side-by-side cases (issue 14), one setup per library; plain ESM shared by Node and the page.
// `peers` is the bundle built from ./entry.mjs. A sync case is `(i) => void`; an async case is
// `async (events) => void`: log that many events and wait until they are delivered.

export const LIBRARIES = ['mvx', 'pino', 'otel', 'logtape'];

export const LIBRARY_NAMES = {
  mvx: 'mvx-logger',
  pino: 'pino',
  otel: 'OpenTelemetry',
  logtape: 'LogTape',
};

export const CASES = [
  { id: 'disabled', title: 'disabled call' },
  { id: 'enabled-small', title: 'enabled → no-op sink, `{ id, path, nested: { a: [1, 2, 3] } }`' },
  { id: 'enabled-flat', title: 'enabled → no-op sink, flat 10-key object' },
  { id: 'enabled-error', title: 'enabled → no-op sink, `{ err }` (Error with a cause)' },
  { id: 'batch-json', title: 'batching HTTP path, JSON (per event)', async: true },
  { id: 'batch-otlp', title: 'batching HTTP path, OTLP (per event)', async: true },
  { id: 'guard-disabled', title: 'disabled call, sink behind `fingersCrossed(stormGuard(…))`' },
  { id: 'guard-forward', title: 'enabled → `stormGuard` (forwarding) → no-op sink, small payload' },
  { id: 'guard-held', title: 'enabled → `fingersCrossed` (held in its ring), small payload' },
  { id: 'normalize', title: 'payload normalization alone (small payload)' },
  { id: 'stringify', title: 'reference: `JSON.stringify` of the small payload' },
];

const MESSAGE = 'request handled';
const URL_JSON = 'http://127.0.0.1:9/collect';
const URL_OTLP = 'http://127.0.0.1:9/v1/logs';
const BATCH_EVENTS = 100; // the batch size every batching library is set to

const small = { id: 42, path: '/x', nested: { a: [1, 2, 3] } };
const flat = {
  id: 42,
  name: 'ada',
  ok: true,
  ratio: 0.75,
  count: 1234567,
  status: 'active',
  retries: 0,
  region: 'eu-west-1',
  cached: false,
  parent: null,
};
const withError = () => ({
  err: new Error('request failed', { cause: new Error('socket hang up') }),
});

/** The network, stubbed: every POST succeeds at once (what each library does with it is measured). */
export const stubFetch = () => Promise.resolve(new Response(null, { status: 200 }));

const noop = () => {};

/** Sync and async cases of `library`, keyed by case id (missing: the library has no such path). */
export async function setup(library, peers) {
  globalThis.fetch = stubFetch; // OpenTelemetry's exporter sends with the global fetch
  return SETUPS[library](peers);
}

const SETUPS = {
  mvx({ mvx }) {
    const { LogContext, LogEventPolicy, LogPayloadProcessor, UploadSink } = mvx;
    const { fingersCrossed, stormGuard } = mvx;
    const sink = { log: noop };
    const disabled = new LogContext({
      sinks: { noop: sink },
      policy: new LogEventPolicy().setFilter('noop', '', 'info'),
    });
    const enabled = new LogContext({ sinks: { noop: sink } });
    const error = withError();
    const upload = (encoding) => {
      const log = new LogContext({
        sinks: new UploadSink({
          url: encoding === 'otlp' ? URL_OTLP : URL_JSON,
          encoding,
          resource: { 'service.name': 'bench' },
          fetch: stubFetch,
          sendBeacon: false,
          pageLifecycle: false,
          network: false,
          maxBatchEvents: BATCH_EVENTS,
          onDiagnostic: noop,
        }),
      });
      return async (events) => {
        for (let i = 0; i < events; i++) log.info(MESSAGE, small);
        await log.flush();
      };
    };
    // Storm protection and fingers-crossed (issue 17): what they add to a call. The rate limit is
    // set out of reach so every event is forwarded (the cost of the check, not of dropping).
    const guardedDisabled = new LogContext({
      sinks: { guarded: fingersCrossed(stormGuard(sink)) },
      policy: new LogEventPolicy().setFilter('guarded', '', 'info'),
    });
    const forwarding = new LogContext({
      sinks: { guarded: stormGuard(sink, { rateLimit: 1e12, rateBurst: 1e12 }) },
    });
    const holding = new LogContext({ sinks: { held: fingersCrossed(sink) } });
    const processor = new LogPayloadProcessor();
    return {
      'guard-disabled': () => guardedDisabled.debug(MESSAGE, small),
      'guard-forward': () => forwarding.info(MESSAGE, small),
      'guard-held': () => holding.info(MESSAGE, small),
      disabled: () => disabled.debug(MESSAGE, small),
      'enabled-small': () => enabled.info(MESSAGE, small),
      'enabled-flat': () => enabled.info(MESSAGE, flat),
      'enabled-error': () => enabled.info(MESSAGE, error),
      'batch-json': upload('json'),
      'batch-otlp': upload('otlp'),
      normalize: () => processor.process(small),
      stringify: () => JSON.stringify(small),
    };
  },

  pino({ pino }) {
    // the browser build; `write` receives the log object (pino's browser `asObject` mode)
    const disabled = pino({ level: 'info', browser: { write: noop } });
    const enabled = pino({ level: 'info', browser: { write: noop } });
    const error = withError();
    // pino has no batching HTTP sink in the browser: the usual one, JSON lines batched by 100
    let batch = [];
    let sent = Promise.resolve();
    const send = () => {
      if (!batch.length) return;
      const body = `[${batch.join(',')}]`;
      batch = [];
      sent = stubFetch(URL_JSON, { method: 'POST', body, keepalive: true });
    };
    const batching = pino({
      level: 'info',
      browser: {
        write(record) {
          batch.push(JSON.stringify(record));
          if (batch.length >= BATCH_EVENTS) send();
        },
      },
    });
    return {
      disabled: () => disabled.debug(small, MESSAGE),
      'enabled-small': () => enabled.info(small, MESSAGE),
      'enabled-flat': () => enabled.info(flat, MESSAGE),
      'enabled-error': () => enabled.info(error, MESSAGE),
      'batch-json': async (events) => {
        for (let i = 0; i < events; i++) batching.info(small, MESSAGE);
        send();
        await sent;
      },
    };
  },

  otel({ LoggerProvider, BatchLogRecordProcessor, OTLPLogExporter, SeverityNumber, ...peers }) {
    const noopProcessor = {
      onEmit: noop,
      forceFlush: () => Promise.resolve(),
      shutdown: () => Promise.resolve(),
    };
    const disabled = new LoggerProvider({
      processors: [noopProcessor],
      loggerConfigurator: peers.createLoggerConfigurator([
        { pattern: '*', config: { minimumSeverity: SeverityNumber.INFO } },
      ]),
    }).getLogger('bench');
    const enabled = new LoggerProvider({ processors: [noopProcessor] }).getLogger('bench');
    const provider = new LoggerProvider({
      resource: peers.resourceFromAttributes({ 'service.name': 'bench' }),
      processors: [
        new BatchLogRecordProcessor(new OTLPLogExporter({ url: URL_OTLP }), {
          maxExportBatchSize: BATCH_EVENTS,
          maxQueueSize: 4096,
        }),
      ],
    });
    const batching = provider.getLogger('bench');
    const error = withError();
    const record = (severityNumber, attributes) => ({
      severityNumber,
      severityText: severityNumber === SeverityNumber.INFO ? 'INFO' : 'DEBUG',
      body: MESSAGE,
      attributes,
    });
    return {
      disabled: () => disabled.emit(record(SeverityNumber.DEBUG, small)),
      'enabled-small': () => enabled.emit(record(SeverityNumber.INFO, small)),
      'enabled-flat': () => enabled.emit(record(SeverityNumber.INFO, flat)),
      'enabled-error': () => enabled.emit(record(SeverityNumber.INFO, error)),
      'batch-otlp': async (events) => {
        for (let i = 0; i < events; i++) batching.emit(record(SeverityNumber.INFO, small));
        await provider.forceFlush();
      },
    };
  },

  async logtape({ logtape }) {
    await logtape.configure({
      reset: true,
      sinks: { noop },
      loggers: [
        { category: ['bench'], lowestLevel: 'info', sinks: ['noop'] },
        { category: ['logtape', 'meta'], lowestLevel: 'error', sinks: [] },
      ],
    });
    const logger = logtape.getLogger(['bench']);
    const error = withError();
    return {
      disabled: () => logger.debug(MESSAGE, small),
      'enabled-small': () => logger.info(MESSAGE, small),
      'enabled-flat': () => logger.info(MESSAGE, flat),
      'enabled-error': () => logger.info(MESSAGE, error),
    };
  },
};
