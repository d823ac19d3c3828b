// A local log collector for the demo and the e2e tests: accepts the plain JSON batch and OTLP/HTTP
// JSON (also as text/plain beacon bodies, also gzip), de-duplicates by event id per session (`sid`),
// and can inject faults. Node's own modules only.
import { gunzipSync } from 'node:zlib';

/** Event ids of one request body, in either encoding. */
export function extractEvents(body) {
  if (body && Array.isArray(body.events)) {
    return body.events.map((e) => ({ id: String(e.id), event: e }));
  }
  const out = [];
  for (const rl of body?.resourceLogs ?? []) {
    for (const sl of rl.scopeLogs ?? []) {
      for (const rec of sl.logRecords ?? []) {
        const uid = (rec.attributes ?? []).find((a) => a.key === 'log.record.uid');
        out.push({ id: String(uid?.value?.stringValue ?? ''), event: rec });
      }
    }
  }
  return out;
}

function newSession() {
  return {
    ids: new Map(), // id -> times received
    events: [],
    requests: 0,
    received: 0,
    duplicates: 0,
    rejected: 0,
    byContentType: {},
    byEncoding: {},
    fault: { mode: 'ok' },
    seq: 0,
  };
}

/**
 * Creates the collector's request handler state.
 * @param {{ onEvents?: (sid: string, accepted: object[], session: object) => void, keepEvents?: number }} [options]
 */
export function createCollector(options = {}) {
  const keepEvents = options.keepEvents ?? 50_000;
  const sessions = new Map();
  const session = (sid) => {
    let s = sessions.get(sid);
    if (!s) sessions.set(sid, (s = newSession()));
    return s;
  };

  /**
   * Decides the fault for this request, or null to accept it. Faults after acceptance (the events
   * are recorded first): `slow` answers after `delayMs`.
   */
  function fault(s) {
    const f = s.fault;
    s.seq++;
    if (f.mode === 'down') return { destroy: true };
    if (f.mode === 'slow') return { accept: true, delayMs: f.delayMs ?? 10_000 };
    if (f.mode === 'status') return { status: f.status ?? 503, retryAfter: f.retryAfter };
    if (f.mode === 'failFirst' && s.seq <= (f.count ?? 1))
      return { status: f.status ?? 500, retryAfter: f.retryAfter };
    if (f.mode === 'failEvery' && s.seq % (f.every ?? 3) === 0) return { status: f.status ?? 500 };
    return null;
  }

  function record(s, sid, raw, contentType, encoding) {
    let body;
    let text = raw;
    if (encoding === 'gzip') text = gunzipSync(raw);
    body = JSON.parse(text.toString('utf8'));
    const kind = Array.isArray(body.events) ? 'json' : 'otlp';
    const events = extractEvents(body);
    const accepted = [];
    for (const { id, event } of events) {
      const seen = s.ids.get(id) ?? 0;
      s.ids.set(id, seen + 1);
      s.received++;
      if (seen) s.duplicates++;
      else {
        accepted.push(event);
        if (s.events.length < keepEvents) s.events.push({ kind, ...event });
      }
    }
    s.byContentType[contentType] = (s.byContentType[contentType] ?? 0) + 1;
    s.byEncoding[kind] = (s.byEncoding[kind] ?? 0) + 1;
    options.onEvents?.(sid, accepted, s, kind);
    return accepted.length;
  }

  function stats(sid) {
    const s = session(sid);
    return {
      sid,
      requests: s.requests,
      received: s.received,
      unique: s.ids.size,
      duplicates: s.duplicates,
      rejected: s.rejected,
      byContentType: s.byContentType,
      byEncoding: s.byEncoding,
      fault: s.fault,
    };
  }

  /** Handles collector routes; returns false when the route is not the collector's. */
  function handle(req, res, url) {
    const sid = url.searchParams.get('sid') ?? 'default';
    const path = url.pathname;
    const cors = {
      'access-control-allow-origin': req.headers.origin ?? '*',
      // As the OpenTelemetry Collector (rs/cors, AllowCredentials): a beacon is credentialed, so
      // a preflighted one (application/json) is refused without this.
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'POST, GET, OPTIONS',
      'access-control-allow-headers': 'content-type, content-encoding, authorization',
      'access-control-expose-headers': 'retry-after',
    };
    const ingest = path === '/v1/logs' || path === '/collect';
    if (ingest && req.method === 'OPTIONS') {
      res.writeHead(204, cors).end();
      return true;
    }
    if (ingest && req.method === 'POST') {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const s = session(sid);
        s.requests++;
        const f = fault(s);
        if (f?.destroy) {
          req.socket.destroy();
          return;
        }
        if (f && !f.accept) {
          s.rejected++;
          const headers = { ...cors };
          if (f.retryAfter !== undefined) headers['retry-after'] = String(f.retryAfter);
          res.writeHead(f.status, headers).end();
          return;
        }
        try {
          record(
            s,
            sid,
            Buffer.concat(chunks),
            req.headers['content-type'] ?? '',
            req.headers['content-encoding'],
          );
          const answer = () => {
            res.writeHead(path === '/v1/logs' ? 200 : 204, {
              ...cors,
              'content-type': 'application/json',
            });
            res.end(path === '/v1/logs' ? '{}' : undefined);
          };
          if (f?.delayMs) setTimeout(answer, f.delayMs).unref();
          else answer();
        } catch (error) {
          s.rejected++;
          res.writeHead(400, cors).end(String(error?.message ?? error));
        }
      });
      return true;
    }
    if (path === '/stats' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(stats(sid)));
      return true;
    }
    if (path === '/events' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(session(sid).events));
      return true;
    }
    if (path === '/ids' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(Object.fromEntries(session(sid).ids)));
      return true;
    }
    if (path === '/fault' && req.method === 'POST') {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const s = session(sid);
        s.fault = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{"mode":"ok"}');
        s.seq = 0;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(s.fault));
      });
      return true;
    }
    if (path === '/reset' && req.method === 'POST') {
      sessions.delete(sid);
      res.writeHead(204).end();
      return true;
    }
    return false;
  }

  return { handle, stats, session };
}
