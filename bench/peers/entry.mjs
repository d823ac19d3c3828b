// Bundled by bench/run.mjs (esbuild, browser platform) into bench/.build/peers.mjs: the same code
// runs in Node and in the page. mvx-logger comes from the built dist/ (run `npm run build`).
export * as mvx from '../../dist/esm/index.js';
export { default as pino } from 'pino/browser.js';
export {
  BatchLogRecordProcessor,
  LoggerProvider,
  createLoggerConfigurator,
} from '@opentelemetry/sdk-logs';
export { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
export { resourceFromAttributes } from '@opentelemetry/resources';
export { SeverityNumber } from '@opentelemetry/api';
export * as logtape from '@logtape/logtape';
