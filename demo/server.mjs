// The local server of the demo and the e2e tests: static files (demo page, e2e pages, dist/) plus the
// collector (see collector.mjs), live counts over Server-Sent Events (GET /live?sid=) and, when asked,
// an NDJSON file of every accepted event, and the e2e hooks of e2eHooks.mjs. Listens on 127.0.0.1 only.
import {
  appendFileSync,
  createReadStream,
  existsSync,
  mkdirSync,
  readFileSync,
  statSync,
} from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCollector } from './collector.mjs';
import { createHoldGates, withRecorder } from './e2eHooks.mjs';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};
// Strict CSP for pages asked for with ?csp=strict (and ?csp=tt for Trusted Types too).
const CSP = {
  strict: "default-src 'self'; script-src 'self'; connect-src 'self'; report-uri /csp-report",
  tt: "default-src 'self'; script-src 'self'; connect-src 'self'; require-trusted-types-for 'script'; report-uri /csp-report",
};

function staticRoot(pathname) {
  if (pathname.startsWith('/dist/')) return [join(ROOT, 'dist'), pathname.slice('/dist'.length)];
  if (pathname.startsWith('/e2e/'))
    return [join(ROOT, 'e2e', 'public'), pathname.slice('/e2e'.length)];
  // idb for pages that load the ESM build directly (an import map points the bare `idb` here).
  if (pathname.startsWith('/vendor/idb/')) {
    return [join(ROOT, 'node_modules', 'idb', 'build'), pathname.slice('/vendor/idb'.length)];
  }
  // The browser unit tests bundled for the driver layer (e2e/browserUnits/build.ts).
  if (pathname.startsWith('/__units/')) {
    return [
      join(ROOT, 'node_modules', '.cache', 'browser-units'),
      pathname.slice('/__units'.length),
    ];
  }
  return [join(ROOT, 'demo', 'public'), pathname];
}

function serveStatic(req, res, url) {
  const [base, rel] = staticRoot(url.pathname);
  let file = normalize(join(base, decodeURIComponent(rel)));
  if (!file.startsWith(base + sep) && file !== base) {
    res.writeHead(403).end();
    return;
  }
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
  if (!existsSync(file)) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  const headers = {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'cache-control': 'no-store',
  };
  const csp = CSP[url.searchParams.get('csp')];
  if (csp) headers['content-security-policy'] = csp;
  if (file.endsWith('sw.js')) headers['service-worker-allowed'] = '/';
  res.writeHead(200, headers);
  if (extname(file) === '.html' && url.searchParams.has('e2e-record')) {
    res.end(withRecorder(readFileSync(file, 'utf8'), url));
    return;
  }
  createReadStream(file).pipe(res);
}

// Live counts are pushed at most this often per session: a burst of uploads is one update, not fifty.
const LIVE_PUSH_MS = 100;
// A comment line this often keeps idle SSE connections open through proxies and browser timeouts.
const LIVE_KEEPALIVE_MS = 15_000;

/** Appends accepted events to an NDJSON file, one line each: { sid, kind, receivedAt, event }. */
function ndjsonAppender(file) {
  mkdirSync(dirname(file), { recursive: true });
  const lines = new Map(); // sid -> lines written by this server run
  return {
    lines,
    append(sid, accepted, kind) {
      if (!accepted.length) return;
      const receivedAt = new Date().toISOString();
      const text = accepted.map((event) => JSON.stringify({ sid, kind, receivedAt, event }) + '\n');
      // Synchronous on purpose: the demo's rates are small and the order of lines then matches
      // the order requests were accepted in.
      appendFileSync(file, text.join(''));
      lines.set(sid, (lines.get(sid) ?? 0) + accepted.length);
    },
  };
}

/** Server-Sent Events of a session's collector counts, pushed after every request that changes them. */
function liveCounts(collector, written) {
  const subscribers = new Map(); // sid -> Set<ServerResponse>
  const pending = new Map(); // sid -> timer
  const snapshot = (sid) =>
    `data: ${JSON.stringify({ ...collector.stats(sid), written: written?.get(sid) ?? 0 })}\n\n`;
  const push = (sid) => {
    if (!subscribers.has(sid) || pending.has(sid)) return;
    pending.set(
      sid,
      setTimeout(() => {
        pending.delete(sid);
        for (const res of subscribers.get(sid) ?? []) res.write(snapshot(sid));
      }, LIVE_PUSH_MS),
    );
  };
  const subscribe = (req, res, sid) => {
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    res.write(snapshot(sid));
    if (!subscribers.has(sid)) subscribers.set(sid, new Set());
    subscribers.get(sid).add(res);
    const keepalive = setInterval(() => res.write(': keepalive\n\n'), LIVE_KEEPALIVE_MS);
    req.on('close', () => {
      clearInterval(keepalive);
      subscribers.get(sid)?.delete(res);
      if (subscribers.get(sid)?.size === 0) subscribers.delete(sid);
    });
  };
  const close = () => {
    for (const timer of pending.values()) clearTimeout(timer);
    for (const set of subscribers.values()) for (const res of set) res.end();
    subscribers.clear();
  };
  return { push, subscribe, close };
}

// Requests after which a session's counts may have changed (ingest, fault switch, reset).
const CHANGES_COUNTS = new Set(['/collect', '/v1/logs', '/fault', '/reset']);

/**
 * Starts the server.
 * @param {{ port?: number, host?: string, collector?: object, ndjsonFile?: string,
 *   extraRoutes?: (req, res, url) => boolean }} [options]
 *   `ndjsonFile`: append every accepted (de-duplicated) event to this file.
 * @returns {Promise<{ server, collector, port: number, host: string, close: () => Promise<void> }>}
 */
export function startServer(options = {}) {
  const ndjson = options.ndjsonFile ? ndjsonAppender(options.ndjsonFile) : undefined;
  const collector =
    options.collector ??
    createCollector({ onEvents: (sid, accepted, _s, kind) => ndjson?.append(sid, accepted, kind) });
  const live = liveCounts(collector, ndjson?.lines);
  const holdGates = createHoldGates();
  const cspReports = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    try {
      if (CHANGES_COUNTS.has(url.pathname) && req.method === 'POST') {
        const sid = url.searchParams.get('sid') ?? 'default';
        // 'close' also covers requests the collector drops on purpose (fault mode 'down').
        res.on('close', () => live.push(sid));
      }
      if (url.pathname === '/live' && req.method === 'GET') {
        live.subscribe(req, res, url.searchParams.get('sid') ?? 'default');
        return;
      }
      if (url.pathname === '/health') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        return;
      }
      if (url.pathname === '/csp-report') {
        if (req.method === 'GET') {
          res
            .writeHead(200, { 'content-type': 'application/json' })
            .end(JSON.stringify(cspReports));
          return;
        }
        const chunks = [];
        req.on('data', (c) => chunks.push(c));
        req.on('end', () => {
          cspReports.push(Buffer.concat(chunks).toString('utf8'));
          res.writeHead(204).end();
        });
        return;
      }
      if (options.extraRoutes?.(req, res, url)) return;
      if (collector.handle(req, res, url)) return;
      // Also at /__collector/, where the browser unit tests (test/browser) call it, as under vitest.
      if (url.pathname.startsWith('/__collector/')) {
        const inner = new URL(url);
        inner.pathname = url.pathname.slice('/__collector'.length);
        if (collector.handle(req, res, inner)) return;
      }
      if (holdGates.handle(req, res, url, serveStatic)) return;
      serveStatic(req, res, url);
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });
  // Idle keep-alive sockets stay open for a minute, not Node's 5 s: a client (the e2e tests'
  // request context, a browser) that reuses one just as the server closes it gets ECONNRESET
  // (seen on a loaded machine between two steps of a test). headersTimeout must stay above it.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const port = options.port ?? 4390;
  const host = options.host ?? '127.0.0.1';
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const close = () =>
        new Promise((done) => {
          live.close();
          server.closeAllConnections();
          server.close(() => done());
        });
      resolvePromise({ server, collector, port: server.address().port, host, close });
    });
  });
}

// `node demo/server.mjs` (used by Playwright's webServer): start and print the address.
// NDJSON_FILE, when set, keeps every accepted event in that file.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { port, host } = await startServer({
    port: Number(process.env.PORT ?? 4390),
    ndjsonFile: process.env.NDJSON_FILE || undefined,
  });
  console.log(`mvx-logger server listening on http://${host}:${port}/`);
}
