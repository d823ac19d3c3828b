// 64 random bits per JS realm (page load, worker) + a counter: unique across tabs, reloads and
// sessions with negligible collision odds, and one string concat per event.
let prefix: string | undefined;
let head = ''; // the prefix and every base-36 digit of the counter but the last
let counter = 0;

/**
 * Returns a new event id: a per-realm random prefix followed by a base-36 counter.
 * @group Contexts
 */
export function createEventId(): string {
  // Web Crypto when there is one; without it (very old runtimes) time + Math.random, still
  // unique enough per session, rather than a throw on every log call.
  prefix ??=
    Array.from(
      (globalThis as { crypto?: Crypto }).crypto?.getRandomValues(new Uint32Array(2)) ?? [
        Math.random() * 2 ** 32,
        Date.now(),
      ],
      (w) => (w >>> 0).toString(36).padStart(7, '0'),
    ).join('') + '-';
  // the digits before the last change once in 36 ids: a radix conversion costs more than the log
  // call's other string work, so it is made that rarely
  const last = counter % 36;
  if (!last) head = prefix + (counter ? (counter / 36).toString(36) : '');
  counter++;
  return head + last.toString(36);
}
