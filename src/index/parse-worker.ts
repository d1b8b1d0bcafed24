import { parentPort, workerData } from 'node:worker_threads';
import { type Extractor, fileParser } from '../parse/file-parser.js';
import { profileNamed } from '../profiles/index.js';
import { packItems } from '../util/packed-items.js';

/**
 * Worker thread: parses the files it is sent, one batch per message, and posts their facts back
 * as JSON texts, one per file in the batch's order (`items`: the main thread parses and shares
 * one file's facts before it parses the next, index/parse-files.ts), and, when asked
 * (`pack`), also packed (util/packed-items.ts: compressed here, transferred without a copy), so the
 * main thread can store a frame's files as they are and encode again only those it changes,
 * without turning a kernel's gigabyte of JSON into buffers itself.
 */
const { root, profile, extractor } = workerData as { root: string; profile: string; extractor: Extractor };
const parse = fileParser(root, profileNamed(profile), extractor);
parentPort!.on('message', ({ id, paths, pack }: { id: number; paths: string[]; pack: boolean }) => {
  const items = paths.map((p) => JSON.stringify(parse(p)));
  if (!pack) return parentPort!.postMessage({ id, items });
  const packed = packItems(items);
  parentPort!.postMessage({ id, items, packed }, [packed.bytes.buffer as ArrayBuffer]);
});
