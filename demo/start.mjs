// `npm run demo`: builds dist/ if it is missing or older than src/, then starts the demo server
// (demo page + collector + NDJSON file + live counts) on 127.0.0.1 and prints its URL.
// PORT overrides the port.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './server.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUILT = join(ROOT, 'dist', 'mvx-logger.iife.min.js');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

if (!existsSync(BUILT) || statSync(BUILT).mtimeMs < newestMtime(join(ROOT, 'src'))) {
  console.log('building dist/ ...');
  execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules', 'rollup', 'dist', 'bin', 'rollup'), '-c'],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
}

const ndjsonFile = join(ROOT, 'demo', 'data', 'events.ndjson');
const { port, host } = await startServer({ port: Number(process.env.PORT ?? 4390), ndjsonFile });
console.log(`mvx-logger demo: http://${host}:${port}/`);
console.log(`  collector: POST /collect (JSON batch) and /v1/logs (OTLP/HTTP JSON)`);
console.log(`  accepted events are appended to ${ndjsonFile}`);
console.log('  Ctrl+C to stop');
