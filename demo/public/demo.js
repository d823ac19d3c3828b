/* global URLSearchParams, Option */
// The demo page: everything here uses the IIFE global `MvxLogger`, as a script-tag user would.
// No inline scripts or styles anywhere, so the page also runs under a strict CSP (?csp=strict).
const {
  LogContext,
  LogEventPolicy,
  ConsoleSink,
  UploadSink,
  IndexedDbSink,
  LOG_LEVELS,
  captureErrors,
  captureConsole,
} = window.MvxLogger;

const params = new URLSearchParams(location.search);
const $ = (id) => document.getElementById(id);
const NAMESPACES = [
  'com.acme.shop',
  'com.acme.shop/checkout',
  'com.acme.shop/checkout/cart',
  'com.acme.shop/search',
  'com.acme.auth',
];
const FILTERS = [...LOG_LEVELS, 'allow', 'deny'];
const BURST = 100;
const CLOSE_TAB_EVENTS = 200;
const CONSOLE_PANEL_ROWS = 50; // the panel shows the latest events only: bounded DOM
const PENDING_KEY = 'mvx-demo:close-tab-check';
const CHECK_TIMEOUT_MS = 120_000; // the buffer drains within seconds; stop polling after this

// --- session: one collector session (sid) per browser profile, or ?sid= for the e2e tests ---
let sid = params.get('sid') || localStorage.getItem('mvx-demo:sid');
if (!sid) {
  sid = `demo-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  localStorage.setItem('mvx-demo:sid', sid);
}
const encoding = params.get('encoding') === 'otlp' ? 'otlp' : 'json';
const collectUrl = `${encoding === 'otlp' ? '/v1/logs' : '/collect'}?sid=${encodeURIComponent(sid)}`;
$('sid').textContent = sid;
$('encoding').textContent = encoding;

// --- sinks: "console" (devtools + the panel on this page) and "buffer" (IndexedDB → upload) ---
const panel = $('console-output');
const consoleSink = new ConsoleSink();
const consoleAndPanel = {
  log(event) {
    consoleSink.log(event);
    const li = document.createElement('li');
    li.className = `lvl-${event.level}`;
    li.textContent = `${event.level.toUpperCase()} [${event.namespace}] ${event.message}`;
    li.dataset.id = event.id;
    panel.prepend(li);
    while (panel.children.length > CONSOLE_PANEL_ROWS) panel.lastElementChild.remove();
  },
};

const upload = new UploadSink({ url: collectUrl, encoding, resource: { 'service.name': 'demo' } });
const buffer = new IndexedDbSink({ database: `mvx-demo-${sid}`, drainTo: upload });
let bufferAccepted = 0;
let recording; // ids of buffered events, while the close-tab burst is logged
const bufferTap = {
  log(event) {
    bufferAccepted++;
    recording?.push(event.id);
    buffer.log(event);
  },
  flush: () => buffer.flush(),
  close: () => buffer.close(),
};

// The decision record's example: console shows warn+ except checkout (debug+); buffer keeps info+.
const policy = new LogEventPolicy()
  .setFilter('console', '', 'warn')
  .setFilter('console', 'com.acme.shop/checkout', 'debug')
  .setFilter('buffer', '', 'info');
const root = new LogContext({
  sinks: { console: consoleAndPanel, buffer: bufferTap },
  policy,
  context: { page: 'demo' },
});
const contexts = Object.fromEntries(NAMESPACES.map((ns) => [ns, root.child(ns)]));
captureErrors(root.child('com.acme.shop/errors'));
captureConsole(root.child('com.acme.shop/console'), ['warn', 'error']);

// --- 1 · log buttons ---
for (const ns of NAMESPACES) $('namespace').append(new Option(ns, ns));
for (const level of LOG_LEVELS) {
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = level;
  button.dataset.level = level;
  button.className = `lvl-${level}`;
  button.addEventListener('click', () => {
    const ns = $('namespace').value;
    contexts[ns][level](`${level} clicked`, () => ({ at: new Date().toISOString() }));
  });
  $('level-buttons').append(button);
}
$('burst').addEventListener('click', () => {
  const ctx = contexts[$('namespace').value];
  for (let i = 0; i < BURST; i++) ctx.info(`burst event ${i + 1}/${BURST}`, { i });
});
$('payload-error').addEventListener('click', () => {
  const cause = new Error('connection reset');
  contexts['com.acme.shop/checkout'].error('payment failed', new Error('charge', { cause }));
});
$('throw').addEventListener('click', () => {
  setTimeout(() => {
    throw new TypeError('demo: uncaught error from a timer');
  });
});
$('reject').addEventListener('click', () => {
  void Promise.reject(new Error('demo: nobody handled this rejection'));
});
$('console-warn').addEventListener('click', () => {
  console.warn('demo: console.warn from app code', { retry: 3 });
});

// --- 2 · filter tree editor and the "which events pass" matrix ---
for (const ns of ['', ...NAMESPACES]) $('namespaces').append(new Option(ns));
for (const f of FILTERS) $('filter-value').append(new Option(f, f));
$('filter-value').value = 'debug';

const filterOf = (name) => (name === 'allow' || name === 'deny' ? MvxLogger[name] : name);
const showError = (error) => {
  $('filter-error').hidden = !error;
  $('filter-error').textContent = error ? `${error.name}: ${error.message}` : '';
};
$('filter-form').addEventListener('submit', (event) => {
  event.preventDefault();
  try {
    policy.setFilter(
      $('filter-sink').value,
      $('filter-path').value,
      filterOf($('filter-value').value),
    );
    showError();
  } catch (error) {
    showError(error);
  }
});
$('filter-clear').addEventListener('click', () => {
  policy.clearFilter($('filter-sink').value, $('filter-path').value);
  showError();
});

function filterName(entry) {
  if (entry.level) return `${entry.level}+`;
  if (entry.filter === MvxLogger.allow) return 'allow';
  if (entry.filter === MvxLogger.deny) return 'deny';
  return 'custom';
}

function renderFilters() {
  const body = $('filter-entries').tBodies[0];
  body.replaceChildren();
  for (const entry of policy.entries()) {
    const row = body.insertRow();
    row.dataset.sink = entry.sink;
    row.dataset.path = entry.path;
    row.insertCell().textContent = entry.sink;
    row.insertCell().textContent = entry.path === '' ? "'' (root)" : entry.path;
    row.insertCell().textContent = filterName(entry);
    const clear = document.createElement('button');
    clear.type = 'button';
    clear.textContent = '×';
    clear.title = 'clear this filter';
    clear.addEventListener('click', () => policy.clearFilter(entry.sink, entry.path));
    row.insertCell().append(clear);
  }
  // The same question the context asks on every call, for a synthetic event per cell.
  const matrix = $('matrix');
  matrix.replaceChildren();
  const head = matrix.createTHead().insertRow();
  head.append(document.createElement('th'));
  for (const level of LOG_LEVELS) {
    const th = document.createElement('th');
    th.textContent = level;
    head.append(th);
  }
  const body2 = matrix.createTBody();
  for (const ns of NAMESPACES) {
    const row = body2.insertRow();
    const th = document.createElement('th');
    th.textContent = ns;
    row.append(th);
    for (const level of LOG_LEVELS) {
      const meta = {
        namespace: ns,
        level,
        severity: MvxLogger.LOG_SEVERITY[level],
        message: '',
        time: 0,
      };
      const cell = row.insertCell();
      cell.dataset.ns = ns;
      cell.dataset.level = level;
      for (const [sink, mark] of [
        ['console', 'C'],
        ['buffer', 'B'],
      ]) {
        const on = policy.accepts(sink, meta);
        const span = document.createElement('span');
        span.className = `mark ${mark.toLowerCase()}${on ? '' : ' off'}`;
        span.textContent = on ? mark : '·';
        cell.append(span);
      }
      cell.dataset.pass = cell.textContent;
    }
  }
}
policy.onChange(renderFilters);
renderFilters();

// --- 4 · delivery: buffer and upload stats (polled), collector counts (pushed over SSE) ---
function renderStats() {
  const b = buffer.stats();
  $('buffer-accepted').textContent = String(bufferAccepted);
  $('buffer-stored').textContent = String(b.storedEvents);
  $('buffer-tier').textContent = b.tier;
  const dropped = Object.values(b.dropped).reduce((sum, n) => sum + n, 0);
  $('upload-stats').textContent =
    `${b.drained} drained · ${b.queuedEvents} waiting to be stored · ${dropped} dropped` +
    (b.drainer ? ' · this tab drains' : '');
}
setInterval(renderStats, 250);
renderStats();

const live = new EventSource(`/live?sid=${encodeURIComponent(sid)}`);
live.onmessage = (message) => {
  const s = JSON.parse(message.data);
  for (const key of ['received', 'unique', 'duplicates', 'rejected']) {
    $(`collector-${key}`).textContent = String(s[key]);
  }
  const offline = s.fault && s.fault.mode !== 'ok';
  $('offline').textContent = offline ? 'go online' : 'go offline';
  $('offline').setAttribute('aria-pressed', String(offline));
  document.body.classList.toggle('offline', offline);
};

$('offline').addEventListener('click', async () => {
  const goOffline = $('offline').getAttribute('aria-pressed') !== 'true';
  const fault = goOffline ? { mode: 'status', status: 503 } : { mode: 'ok' };
  await fetch(`/fault?sid=${encodeURIComponent(sid)}`, {
    method: 'POST',
    body: JSON.stringify(fault),
  });
});

// --- "close tab now": log, remember the ids, leave at once; the next load checks the collector ---
$('close-tab').addEventListener('click', () => {
  recording = [];
  const ctx = contexts['com.acme.shop/checkout'];
  for (let i = 0; i < CLOSE_TAB_EVENTS; i++) ctx.info(`close-tab event ${i + 1}`, { i });
  localStorage.setItem(PENDING_KEY, JSON.stringify({ sid, ids: recording, at: Date.now() }));
  recording = undefined;
  // Browsers only let a script close tabs it opened; otherwise leave the page the same abrupt way.
  window.close();
  location.reload();
});

async function checkPrevious() {
  const pending = JSON.parse(localStorage.getItem(PENDING_KEY) || 'null');
  const out = $('previous');
  if (!pending || pending.sid !== sid) return;
  const total = pending.ids.length;
  const giveUpAt = Date.now() + CHECK_TIMEOUT_MS;
  for (;;) {
    const seen = await (await fetch(`/ids?sid=${encodeURIComponent(sid)}`)).json();
    const arrived = pending.ids.filter((id) => seen[id] >= 1).length;
    const duplicates = pending.ids.reduce((n, id) => n + Math.max(0, (seen[id] ?? 0) - 1), 0);
    const done = arrived === total;
    out.dataset.state = done ? 'complete' : 'waiting';
    out.textContent = done
      ? `Previous page: all ${total} events logged right before it closed arrived (${duplicates} duplicates).`
      : `Previous page: ${arrived}/${total} events arrived so far — the buffer is draining…`;
    if (done) return;
    if (Date.now() > giveUpAt) {
      out.dataset.state = 'incomplete';
      out.textContent += ' Gave up waiting (is the collector running, or was it restarted?).';
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
void checkPrevious();

$('new-session').addEventListener('click', () => {
  localStorage.removeItem('mvx-demo:sid');
  location.href = location.pathname;
});

$('status').dataset.state = 'ready';
$('status').textContent = 'ready';
window.demo = { root, policy, buffer, upload, sid, consoleSink: consoleAndPanel };
