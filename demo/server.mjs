// The local server of the demo and the e2e tests: static files (demo page, e2e pages, dist/) plus the
// collector (see collector.mjs). Listens on 127.0.0.1 only.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCollector } from './collector.mjs';

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
  createReadStream(file).pipe(res);
}

/**
 * Starts the server.
 * @param {{ port?: number, host?: string, collector?: object, extraRoutes?: (req, res, url) => boolean }} [options]
 */
export function startServer(options = {}) {
  const collector = options.collector ?? createCollector();
  const cspReports = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    try {
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
      serveStatic(req, res, url);
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });
  const port = options.port ?? 4390;
  const host = options.host ?? '127.0.0.1';
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () =>
      resolvePromise({ server, collector, port: server.address().port, host }),
    );
  });
}

// `node demo/server.mjs` (used by Playwright's webServer): start and print the address.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { port, host } = await startServer({ port: Number(process.env.PORT ?? 4390) });
  console.log(`mvx-logger server listening on http://${host}:${port}/`);
}
