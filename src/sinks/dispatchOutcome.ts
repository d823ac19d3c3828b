/**
 * What a dispatch says about a batch. `undefined`/`{ ok: true }` = delivered.
 * @group Sinks
 */
export type DispatchOutcome =
  | void
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly retry: true;
      /** Wait at least this long before the retry (e.g. from `Retry-After`). */
      readonly retryAfterMs?: number;
      readonly error?: unknown;
    }
  | {
      readonly ok: false;
      readonly retry: false;
      readonly reason: 'rejected' | 'failed';
      readonly error?: unknown;
    };
