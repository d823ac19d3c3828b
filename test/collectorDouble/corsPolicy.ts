// The CORS rules of a stock OpenTelemetry Collector's OTLP/HTTP receiver (confighttp wraps the
// handler in github.com/rs/cors with AllowCredentials: true), as ../../../shared/ENGINES.md states
// them: CORS is off unless `allowed_origins` is set; `allowed_headers` REPLACES the default list;
// a refused preflight is still a 204, only without `Access-Control-Allow-Origin`; response headers
// are exposed only when listed in `exposed_headers`.

/** The `cors:` block of the receiver's `protocols.http` config (the YAML names). */
export interface CollectorCorsConfig {
  readonly allowed_origins?: readonly string[];
  readonly allowed_headers?: readonly string[];
  readonly exposed_headers?: readonly string[];
  readonly max_age?: number;
}

/** rs/cors's list when `allowed_headers` is empty; `Origin` is always allowed on top. */
const DEFAULT_ALLOWED_HEADERS = ['accept', 'content-type', 'x-requested-with'];
/** rs/cors's default methods (the Collector does not set them). */
const ALLOWED_METHODS = ['GET', 'POST', 'HEAD'];

/** What the policy decided for one preflight. */
export interface PreflightDecision {
  /** Whether the browser may send the actual request. */
  readonly allowed: boolean;
  /** Why not, for the test's report ('' when allowed). */
  readonly refusal: string;
  /** Response headers of the preflight (status is always 204). */
  readonly headers: Record<string, string>;
}

/** True when `origin` matches `pattern` (`*` stands for 0 or more characters, once). */
function originMatches(pattern: string, origin: string): boolean {
  const lower = pattern.toLowerCase();
  if (lower === '*') return true;
  const star = lower.indexOf('*');
  if (star < 0) return lower === origin;
  const prefix = lower.slice(0, star);
  const suffix = lower.slice(star + 1);
  return (
    origin.length >= prefix.length + suffix.length &&
    origin.startsWith(prefix) &&
    origin.endsWith(suffix)
  );
}

/** The CORS behaviour of a receiver configured with `config` (undefined: no `cors:` block). */
export interface CorsPolicy {
  /** Whether CORS is on at all (`allowed_origins` non-empty). */
  readonly enabled: boolean;
  originAllowed(origin: string): boolean;
  /** The answer to `OPTIONS` with `Access-Control-Request-Method` (only when `enabled`). */
  preflight(origin: string, method: string, requestHeaders: string): PreflightDecision;
  /** Headers added to the actual response of a request with an `Origin`. */
  actualResponseHeaders(origin: string | undefined): Record<string, string>;
}

export function corsPolicy(config: CollectorCorsConfig | undefined): CorsPolicy {
  const origins = config?.allowed_origins ?? [];
  const configuredHeaders = (config?.allowed_headers ?? []).map((h) => h.toLowerCase());
  const allowedHeaders = [
    ...(configuredHeaders.length ? configuredHeaders : DEFAULT_ALLOWED_HEADERS),
    'origin',
  ];
  const anyHeader = allowedHeaders.includes('*');
  const exposed = config?.exposed_headers ?? [];
  const maxAge = config?.max_age ?? 0;
  const originAllowed = (origin: string) =>
    origins.some((pattern) => originMatches(pattern, origin.toLowerCase()));

  return {
    enabled: origins.length > 0,
    originAllowed,
    preflight(origin, method, requestHeaders) {
      const headers: Record<string, string> = {
        vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
      };
      const refuse = (refusal: string): PreflightDecision => ({
        allowed: false,
        refusal,
        headers,
      });
      if (!originAllowed(origin)) return refuse(`origin ${origin} not in allowed_origins`);
      if (!ALLOWED_METHODS.includes(method.toUpperCase())) return refuse(`method ${method}`);
      const asked = requestHeaders
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean);
      const missing = asked.filter((h) => !anyHeader && !allowedHeaders.includes(h));
      if (missing.length) return refuse(`headers not in allowed_headers: ${missing.join(', ')}`);
      headers['access-control-allow-origin'] = origin;
      headers['access-control-allow-methods'] = method.toUpperCase();
      if (asked.length) headers['access-control-allow-headers'] = asked.join(', ');
      headers['access-control-allow-credentials'] = 'true';
      if (maxAge > 0) headers['access-control-max-age'] = String(maxAge);
      return { allowed: true, refusal: '', headers };
    },
    actualResponseHeaders(origin) {
      if (!origins.length) return {}; // no CORS handler at all
      const headers: Record<string, string> = { vary: 'Origin' };
      if (origin === undefined || !originAllowed(origin)) return headers;
      headers['access-control-allow-origin'] = origin;
      headers['access-control-allow-credentials'] = 'true';
      if (exposed.length) headers['access-control-expose-headers'] = exposed.join(', ');
      return headers;
    },
  };
}
