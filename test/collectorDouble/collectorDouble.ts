// A test double of a stock OpenTelemetry Collector's OTLP/HTTP receiver (`/v1/logs`), following
// the rules in ../../../shared/ENGINES.md: only `application/json` / `application/x-protobuf`
// (else 415), `Content-Encoding: gzip` (exact), the receiver's CORS (corsPolicy.ts), 200
// `{"partialSuccess":{}}` on success, 400 `{"code":3,…}` for a bad body, 405 for other methods.
// It runs in the test's Node process on its own port, usually under another host name than the
// page (`localhost` vs `127.0.0.1`), i.e. cross-origin; sessions (`?sid=`) keep tests apart.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { gunzipSync, inflateSync } from 'node:zlib';
import { CollectorSession } from './collectorSession.js';
import { corsPolicy, type CollectorCorsConfig } from './corsPolicy.js';

export type { CollectorFault, ReceivedRecord, SessionCounts } from './collectorSession.js';
export { CollectorSession } from './collectorSession.js';

/** The receiver's default `max_request_body_size`. */
const MAX_BODY_BYTES = 20 * 1024 * 1024;
const SUPPORTED_TYPES = ['application/json', 'application/x-protobuf'];

export interface CollectorDoubleOptions {
  readonly port: number;
  /** The receiver's `cors:` block (undefined: none, as in a stock config). */
  readonly cors?: CollectorCorsConfig;
  /** Addresses to listen on. @default 127.0.0.1 and ::1 (both of `localhost`) */
  readonly hosts?: readonly string[];
}

export interface CollectorDouble {
  readonly port: number;
  /** `http://localhost:<port>/v1/logs?sid=<sid>`. */
  logsUrl(sid: string, host?: string): string;
  session(sid: string): CollectorSession;
  stop(): Promise<void>;
}

function send(response: ServerResponse, status: number, headers: object, body = '') {
  response.writeHead(status, headers as Record<string, string>).end(body);
}

function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => resolve(size <= MAX_BODY_BYTES ? Buffer.concat(chunks) : undefined));
    request.on('error', () => resolve(undefined));
    request.on('aborted', () => resolve(undefined));
  });
}

function decoded(body: Buffer, encoding: string): Buffer {
  if (encoding === '') return body;
  if (encoding === 'gzip') return gunzipSync(body);
  if (encoding === 'zlib' || encoding === 'deflate') return inflateSync(body);
  throw new Error(`unsupported Content-Encoding ${JSON.stringify(encoding)}`);
}

/** Starts the double; resolves once it listens on every host. */
export async function startCollectorDouble(
  options: CollectorDoubleOptions,
): Promise<CollectorDouble> {
  const cors = corsPolicy(options.cors);
  const sessions = new Map<string, CollectorSession>();
  const started = Date.now();
  const session = (sid: string) => {
    let found = sessions.get(sid);
    if (!found) sessions.set(sid, (found = new CollectorSession()));
    return found;
  };

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? '/', 'http://double');
    const current = session(url.searchParams.get('sid') ?? 'default');
    const origin = request.headers.origin;
    const seen = {
      method: request.method ?? '',
      via: url.searchParams.get('via') ?? '',
      contentType: String(request.headers['content-type'] ?? ''),
      contentEncoding: String(request.headers['content-encoding'] ?? ''),
      at: Date.now() - started,
      records: 0,
    };
    const requestMethod = request.headers['access-control-request-method'];
    if (request.method === 'OPTIONS' && cors.enabled && origin && requestMethod) {
      const asked = String(request.headers['access-control-request-headers'] ?? '');
      const decision = cors.preflight(origin, String(requestMethod), asked);
      const refusal = decision.allowed ? undefined : decision.refusal;
      current.requests.push({ ...seen, status: 204, requestHeaders: asked, refusal });
      return send(response, 204, decision.headers);
    }
    const corsHeaders = cors.actualResponseHeaders(origin);
    const answer = (status: number, body = '', headers: object = {}) => {
      current.requests.push({ ...seen, status });
      send(response, status, { ...corsHeaders, ...headers }, body);
    };
    if (url.pathname !== '/v1/logs') return answer(404, '404 page not found');
    if (request.method !== 'POST') return answer(405, '405 method not allowed');
    const mediaType = seen.contentType.split(';')[0]!.trim().toLowerCase();
    if (!SUPPORTED_TYPES.includes(mediaType))
      return answer(415, `415 unsupported media type, supported: [${SUPPORTED_TYPES.join(', ')}]`);
    const body = await readBody(request);
    const badRequest = (message: string) =>
      answer(400, JSON.stringify({ code: 3, message }), { 'content-type': 'application/json' });
    if (!body) return badRequest('request body too large or aborted');
    if (mediaType !== 'application/json') return badRequest('the double reads JSON only');
    let text: string;
    let parsed: unknown;
    try {
      text = decoded(body, seen.contentEncoding).toString('utf8');
      parsed = JSON.parse(text);
    } catch (error) {
      return badRequest(String((error as Error).message));
    }
    const fault = current.fault;
    if (fault.mode === 'status' && (fault.times === undefined || fault.times-- > 0)) {
      const headers = fault.retryAfter ? { 'retry-after': fault.retryAfter } : {};
      return answer(fault.status, JSON.stringify({ code: 14, message: 'unavailable' }), headers);
    }
    const records = current.accept(text, parsed);
    const accepted = { ...seen, records };
    if (fault.mode === 'reset' && (fault.times === undefined || fault.times-- > 0)) {
      current.requests.push({ ...accepted, status: 0 }); // accepted, never answered
      request.socket.destroy();
      return;
    }
    if (fault.mode === 'slow') await new Promise((resolve) => setTimeout(resolve, fault.ms));
    current.requests.push({ ...accepted, status: 200 });
    send(
      response,
      200,
      { ...corsHeaders, 'content-type': 'application/json' },
      '{"partialSuccess":{}}',
    );
  }

  const servers: Server[] = [];
  for (const host of options.hosts ?? ['127.0.0.1', '::1']) {
    const server = createServer((request, response) => {
      handle(request, response).catch((error: unknown) => {
        if (!response.headersSent) send(response, 500, {}, String(error));
      });
    });
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port, host, () => resolve());
      });
      servers.push(server);
    } catch (error) {
      // No IPv6 on this machine: `localhost` then means 127.0.0.1 only.
      if (host !== '::1') throw error;
    }
  }

  return {
    port: options.port,
    logsUrl: (sid, host = 'localhost') =>
      `http://${host}:${options.port}/v1/logs?sid=${encodeURIComponent(sid)}`,
    session,
    stop: () =>
      Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.closeAllConnections();
              server.close(() => resolve());
            }),
        ),
      ).then(() => undefined),
  };
}
