/** A console that records calls by method name. */
export function createFakeConsole() {
  const calls: { method: string; args: unknown[] }[] = [];
  const record =
    (method: string) =>
    (...args: unknown[]) => {
      calls.push({ method, args });
    };
  const fake = {
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
    log: record('log'),
    trace: record('trace'),
  } as unknown as Console;
  return { console: fake, calls };
}
