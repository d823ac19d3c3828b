// One fresh Node process per library and round: `node bench/peers/node.mjs <library> <options>`.
// Prints the results as JSON on stdout.
import { pathToFileURL } from 'node:url';
import { runLibrary } from './runLibrary.mjs';

const [library, options = '{}', bundle] = process.argv.slice(2);
const peers = await import(pathToFileURL(bundle).href);
const results = await runLibrary(library, peers, JSON.parse(options));
process.stdout.write(JSON.stringify(results));
process.exit(0); // timers of a batching library must not keep the process alive
