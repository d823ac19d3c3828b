// A minimal W3C WebDriver client over HTTP (enough for WebKitWebDriver): plain fetch calls were
// simpler than selenium-webdriver. Commands of one session run one at a time, in order, because
// most of them act on "the current window".

export class WebDriverError extends Error {
  override name = 'WebDriverError';
}

export interface WebDriverSession {
  readonly id: string;
  readonly capabilities: Record<string, unknown>;
  /** Runs `fn` alone on the session (queued behind earlier calls). */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  /** One HTTP command; call it only inside `exclusive`. */
  command<T = unknown>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: object): Promise<T>;
}

async function request<T>(url: string, method: string, body?: object): Promise<T> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: method === 'POST' ? JSON.stringify(body ?? {}) : undefined,
  });
  const json = (await response.json()) as { value: T & { error?: string; message?: string } };
  if (!response.ok) {
    const value = json.value as { error?: string; message?: string };
    throw new WebDriverError(`${method} ${url}: ${value.error}: ${value.message}`);
  }
  return json.value;
}

/** POST /session on the driver at `driverUrl`; returns a session whose commands are serialized. */
export async function newSession(
  driverUrl: string,
  capabilities: Record<string, unknown>,
): Promise<WebDriverSession> {
  const created = await request<{ sessionId: string; capabilities: Record<string, unknown> }>(
    `${driverUrl}/session`,
    'POST',
    { capabilities: { alwaysMatch: capabilities } },
  );
  const base = `${driverUrl}/session/${created.sessionId}`;
  let queue: Promise<unknown> = Promise.resolve();
  return {
    id: created.sessionId,
    capabilities: created.capabilities,
    exclusive<T>(fn: () => Promise<T>) {
      const run = queue.then(fn, fn);
      queue = run.catch(() => undefined);
      return run;
    },
    command: (method, path, body) => request(`${base}${path}`, method, body),
  };
}
