/**
 * Parses a `Retry-After` header: delay-seconds (`"120"`) or an HTTP-date
 * (`"Wed, 21 Oct 2015 07:28:00 GMT"`).
 * @param value - the header value, or null when absent
 * @param now - the current time in epoch ms (for the date form)
 * @returns the wait in ms (a past date gives 0), or `undefined` when absent or unreadable
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value == null) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  // Only a date has letters (day/month names); `Date.parse('1.5')` would invent a date.
  if (!/[a-z]/i.test(v)) return undefined;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
