// One fresh Node process per library, case and round:
// `node bench/peers/node.mjs <library> <options> <bundle> [<case id> | --list]`.
// Prints the results (or, with --list, the library's case ids) as JSON on stdout.
import { pathToFileURL } from 'node:url';
import { caseIds, runLibrary } from './runLibrary.mjs';

const [library, options = '{}', bundle, only] = process.argv.slice(2);
const peers = await import(pathToFileURL(bundle).href);
const results =
  only === '--list'
    ? await caseIds(library, peers)
    : await runLibrary(library, peers, JSON.parse(options), only);
process.stdout.write(JSON.stringify(results));
process.exit(0); // timers of a batching library must not keep the process alive
