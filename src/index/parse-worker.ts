import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';
import { fileParser } from '../parse/file-parser.js';
import { profileNamed } from '../profiles/index.js';

/**
 * Worker thread: parses the files it is sent, one batch per message, and posts their facts back.
 * Syntax trees live in native memory V8 does not see, so a worker whose own heap stays small would
 * keep them for long: a collection after each batch frees them.
 */
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;
const { root, profile } = workerData as { root: string; profile: string };
const parse = fileParser(root, profileNamed(profile));
parentPort!.on('message', (paths: string[]) => {
  parentPort!.postMessage(paths.map(parse));
  collect();
});
