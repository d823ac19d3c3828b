/**
 * Options of a {@link LogPayloadProcessor}: the bounds of one normalized value, and redaction.
 * @group Processor
 */
export interface LogPayloadProcessorOptions {
  /**
   * Levels of nested objects/arrays kept; a deeper container becomes `"[Object]"`, `"[Array]"`,
   * `"[Map]"`, …, and a deeper error `"TypeError: message"`. Each `cause` is one level deeper.
   * @default 10
   */
  maxDepth?: number;
  /**
   * Properties kept per object (and entries per Map); the rest are counted in a
   * `"…": "[+N more keys]"` property.
   * @default 100
   */
  maxKeys?: number;
  /**
   * Items kept per array (and Set); the rest are counted in a last `"[+N more items]"` item.
   * @default 100
   */
  maxItems?: number;
  /**
   * Length of a string kept, in UTF-16 code units (JavaScript `length`); a longer one ends with
   * `"…[truncated N chars]"`.
   * @default 4096
   */
  maxStringLength?: number;
  /**
   * Budget of the whole normalized value in UTF-8 bytes of its `JSON.stringify` form, exact and
   * never exceeded. What does not fit is cut with the markers above. At least 64.
   * @default 16384
   */
  maxBytes?: number;
  /**
   * More keys whose values are replaced by `"[REDACTED]"`, at any depth. A string matches
   * case-insensitively, ignoring `-`, `_`, `.` and spaces (`'sessionId'` also matches `session_id`);
   * a RegExp is tested against the key as written.
   * @default []
   */
  redactKeys?: readonly (string | RegExp)[];
  /**
   * Patterns replaced by `"[REDACTED]"` inside every string value (e.g. bearer tokens, JWTs).
   * @default []
   */
  redactValues?: readonly RegExp[];
  /**
   * Whether the built-in secret keys are redacted: keys ending in password, passwd, secret, token,
   * apikey, authorization, cookie, session, cardnumber, ccnumber, creditcard, and `pan`.
   * @default true
   */
  redactDefaultKeys?: boolean;
}
