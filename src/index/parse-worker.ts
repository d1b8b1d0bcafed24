import { parentPort, workerData } from 'node:worker_threads';
import { fileParser } from '../parse/file-parser.js';
import { profileNamed } from '../profiles/index.js';

/** Worker thread: parses the files it is sent, one batch per message, and posts their facts back. */
const { root, profile } = workerData as { root: string; profile: string };
const parse = fileParser(root, profileNamed(profile));
parentPort!.on('message', (paths: string[]) => {
  parentPort!.postMessage(paths.map(parse));
});
