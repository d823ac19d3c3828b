/**
 * What a dispatch says about a batch. `undefined`/`{ ok: true }` = delivered.
 * @group Sinks
 */
export type DispatchOutcome =
  | void
  | {
      readonly ok: true;
      /**
       * How many of the batch the receiver rejected although it accepted the request (e.g. an
       * OTLP partial success): counted `rejected`, the rest `delivered`. @default 0
       */
      readonly rejected?: number;
      /** The receiver's reason for `rejected` (reported once through diagnostics). */
      readonly error?: unknown;
    }
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
