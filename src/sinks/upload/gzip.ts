/**
 * Gzips `text` with the platform's `CompressionStream` (normal path only: it is async, and exit
 * hand-offs cannot wait).
 * @param text - the body
 * @returns the compressed bytes, or `undefined` when `CompressionStream` is not available
 */
export async function gzip(text: string): Promise<ArrayBuffer | undefined> {
  const CS = (globalThis as { CompressionStream?: typeof CompressionStream }).CompressionStream;
  if (typeof CS !== 'function') return undefined;
  const stream = new Blob([text]).stream().pipeThrough(new CS('gzip'));
  return new Response(stream).arrayBuffer();
}
