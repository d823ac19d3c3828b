// 64 random bits per JS realm (page load, worker) + a counter: unique across tabs, reloads and
// sessions with negligible collision odds, and one string concat per event.
let prefix: string | undefined;
let counter = 0;

/** Returns a new event id: a per-realm random prefix followed by a base-36 counter. */
export function createEventId(): string {
  // Web Crypto's getRandomValues exists in every ES2022 runtime: pages (secure or not), workers, Node.
  prefix ??=
    Array.from(crypto.getRandomValues(new Uint32Array(2)), (w) =>
      w.toString(36).padStart(7, '0'),
    ).join('') + '-';
  return prefix + (counter++).toString(36);
}
