import { parentPort, workerData } from 'node:worker_threads';
import { type Extractor, fileParser } from '../parse/file-parser.js';
import { profileNamed } from '../profiles/index.js';

/**
 * Worker thread: parses the files it is sent, one batch per message, and posts their facts back
 * as JSON, one text per file (`items`), so the main thread can store a frame's files as they are
 * and encode again only those it changes.
 */
const { root, profile, extractor } = workerData as { root: string; profile: string; extractor: Extractor };
const parse = fileParser(root, profileNamed(profile), extractor);
parentPort!.on('message', ({ id, paths }: { id: number; paths: string[] }) => {
  parentPort!.postMessage({ id, items: paths.map((p) => JSON.stringify(parse(p))) });
});
