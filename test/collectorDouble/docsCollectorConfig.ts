// The Collector config the docs tell users to run, read from the docs themselves, so the tests
// configure the Collector double exactly that way and the docs cannot drift from what is tested.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { CollectorCorsConfig } from './corsPolicy.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The pages that may hold the user-facing Collector config (exactly one of them does). */
export const COLLECTOR_CONFIG_PAGES = ['README.md', 'docs/opentelemetry-collector.md'];

/** The Collector config block of the docs. */
export interface DocsCollectorConfig {
  /** The page it was found on. */
  readonly page: string;
  /** `receivers.otlp.protocols.http.cors` as written. */
  readonly cors: CollectorCorsConfig;
  /** `receivers.otlp.protocols.http.endpoint`. */
  readonly endpoint: string;
}

/** Every ```yaml block of `markdown`. */
function yamlBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```ya?ml\n([\s\S]*?)^```/gm)].map((match) => match[1]!);
}

/**
 * Reads the one YAML block of the docs that configures an OTLP receiver's HTTP protocol.
 * @throws when there is none, or more than one (the tests must know which one users copy)
 */
export function readDocsCollectorConfig(root = ROOT): DocsCollectorConfig {
  const found: DocsCollectorConfig[] = [];
  for (const page of COLLECTOR_CONFIG_PAGES) {
    for (const block of yamlBlocks(readFileSync(join(root, page), 'utf8'))) {
      const http = parse(block)?.receivers?.otlp?.protocols?.http;
      if (http) found.push({ page, cors: http.cors ?? {}, endpoint: String(http.endpoint ?? '') });
    }
  }
  if (found.length !== 1)
    throw new Error(
      `expected one Collector config (receivers.otlp.protocols.http) in ${COLLECTOR_CONFIG_PAGES.join(', ')}, found ${found.length}`,
    );
  return found[0]!;
}

/**
 * The docs' `cors:` block for an app served from `appOrigin`: the docs' `allowed_origins` holds
 * one placeholder, the app's origin (e.g. `https://shop.example.com`); the tests put the test
 * page's origin in its place and keep everything else as written.
 */
export function docsCorsFor(appOrigin: string, config = readDocsCollectorConfig()) {
  const origins = config.cors.allowed_origins ?? [];
  if (origins.length !== 1)
    throw new Error(
      `${config.page}: allowed_origins should hold exactly your app's origin, got ${JSON.stringify(origins)}`,
    );
  return { ...config.cors, allowed_origins: [appOrigin] } satisfies CollectorCorsConfig;
}
