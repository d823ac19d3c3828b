// What the e2e suite needs of the local server in every engine, where Playwright's request
// interception and init scripts exist in Chromium only. The demo itself never uses these.
//
// - `/hold/<key>/<path>` serves `/<path>`; a file under `dist/` (the SDK) is held back until
//   `POST /hold/<key>/release`, so a test can make its calls while the SDK is still in flight.
//   `GET /hold/<key>/requests` answers `{ "requests": N }`: how many held files were asked for.
//   Pages served this way use relative URLs, so their scripts come through the same gate.
// - An HTML page asked for with `?e2e-record` gets `/e2e/page-recorder.js` as its first script: it
//   records console calls, uncaught errors and CSP violations from the start (WebKit's WebDriver
//   classic reports neither console calls nor page errors).

const HOLD_PREFIX = '/hold/';
const RECORDER_TAG = '<script src="/e2e/page-recorder.js"></script>';

/** The hold gates, by key. */
export function createHoldGates() {
  const gates = new Map(); // key -> { requests, released, waiting: (() => void)[] }
  const gate = (key) => {
    if (!gates.has(key)) gates.set(key, { requests: 0, released: false, waiting: [] });
    return gates.get(key);
  };
  /**
   * Answers a `/hold/` request (true), else returns false. `serve(req, res, url)` serves a file.
   */
  const handle = (req, res, url, serve) => {
    if (!url.pathname.startsWith(HOLD_PREFIX)) return false;
    const [key, ...rest] = url.pathname.slice(HOLD_PREFIX.length).split('/');
    const path = rest.join('/');
    const held = gate(key);
    if (path === 'release' && req.method === 'POST') {
      held.released = true;
      for (const resume of held.waiting.splice(0)) resume();
      res.writeHead(204).end();
    } else if (path === 'requests') {
      res
        .writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
        .end(JSON.stringify({ requests: held.requests }));
    } else {
      const target = new URL(`/${path}${url.search}`, url);
      if (!path.startsWith('dist/')) return (serve(req, res, target), true);
      held.requests++;
      if (held.released) serve(req, res, target);
      else held.waiting.push(() => serve(req, res, target));
    }
    return true;
  };
  return { handle };
}

/** The page with the recorder as its first script, when asked for with `?e2e-record`. */
export function withRecorder(html, url) {
  if (!url.searchParams.has('e2e-record')) return html;
  const head = /<head[^>]*>/i.exec(html);
  if (!head) return RECORDER_TAG + html;
  const at = head.index + head[0].length;
  return html.slice(0, at) + RECORDER_TAG + html.slice(at);
}
