let encoder: TextEncoder | undefined;

/**
 * UTF-8 byte length of `text` (browsers count body bytes, not characters, against the keepalive
 * budget); lone surrogates count as the 3-byte replacement character, as a request body sends them.
 * @param text - any string
 */
export function utf8Length(text: string): number {
  return (encoder ??= new TextEncoder()).encode(text).length;
}
