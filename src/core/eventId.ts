// 64 random bits per JS realm (page load, worker) + a counter: unique across tabs, reloads and
// sessions with negligible collision odds, and one string concat per event.
let prefix: string | undefined;
let counter = 0;

function randomPrefix(): string {
  const words = new Uint32Array(2);
  const c = (globalThis as { crypto?: Crypto }).crypto;
  if (c && typeof c.getRandomValues === 'function') c.getRandomValues(words);
  else {
    // No Web Crypto (very old runtimes): time + Math.random is still unique enough per session.
    words[0] = Math.random() * 0x100000000;
    words[1] = Date.now() ^ (Math.random() * 0x100000000);
  }
  let out = '';
  for (const word of words) out += word.toString(36).padStart(7, '0');
  return out + '-';
}

/** Returns a new event id: a per-realm random prefix followed by a base-36 counter. */
export function createEventId(): string {
  return (prefix ??= randomPrefix()) + (counter++).toString(36);
}
