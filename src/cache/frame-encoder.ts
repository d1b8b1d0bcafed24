import { workerScriptBeside } from '../util/worker-script.js';
import { Worker } from 'node:worker_threads';
import type { PackedItems } from '../util/packed-items.js';
import { compressFactsJson, encodeFactsFrame, encodePackedFrame, FrameFile, revisedJson, splicedJson } from './frame-file.js';
import { mentionTableOfJson } from '../resolve/mention-json.js';
import { MentionTable } from '../resolve/mention-table.js';
import { definerExpansion, type DefinerTable } from '../index/expand-definers.js';
import { expandMacroCallsWith, type MacroBodyTable } from '../index/expand-macro-calls.js';
import { type Extractor, textExtractor } from '../parse/file-parser.js';
import { profileNamed } from '../profiles/index.js';
import type { FileFacts } from '../types/facts.js';
import { WORKER_YOUNG_MB } from '../util/worker-limits.js';

/**
 * How the files of a frame are expanded before they are stored, as the main thread expands them
 * (open-index.ts): definer macros with the whole tree's definer table (expand-definers.ts), then
 * calls of macro results with its macro body table (expand-macro-calls.ts). Plain data, sent once to the encoder's worker.
 */
export interface FrameExpansion {
  /** The profile's name (profileNamed) and the extractor that read the files. */
  profile: string;
  extractor: Extractor;
  /** Macros never expanded (the profile's registration macros). */
  keep: string[];
  definers: DefinerTable;
  bodies: MacroBodyTable;
}

/** A frame encoded by FrameEncoder.encodeRevised, with the mention table of its files. */
export interface RevisedFrame {
  bytes: Buffer;
  mentions: MentionTable;
}

/** The reviser of an encoder made without an expansion: asked to expand files, it fails. */
export const noExpansion = (files: FileFacts[]): FileFacts[] => {
  if (files.length) throw new Error('files to expand, but the frame encoder has no expansion');
  return files;
};

/** The function that expands a frame's files as `expansion` says (none: files are stored as parsed). */
export function frameReviser(expansion: FrameExpansion | null): ((files: FileFacts[]) => FileFacts[]) | undefined {
  if (!expansion) return undefined;
  const profile = profileNamed(expansion.profile);
  const definers = definerExpansion(expansion.definers, textExtractor(profile, expansion.extractor), new Set(expansion.keep));
  return (files) => expandMacroCallsWith(expansion.bodies, definers(files));
}

/** The bytes `here` makes, as a promise (rejected with its error). */
const encodedHere = (here: () => Buffer): Promise<Buffer> => new Promise((resolve) => resolve(here()));

/** The compiled worker script; when running from TypeScript sources (tests), the built copy in dist/; null when there is none. */
const workerScript = (): URL | null => workerScriptBeside('encode-worker.js', import.meta.url);

/**
 * Encodes facts frames (encodePackedFrame) in one worker thread, in the order asked, while the
 * main thread goes on (a kernel's 218 frames take about 12 s of one core): `encode` hands a
 * frame over at once and its promise settles when the worker is done with it. The worker is
 * started on the first frame and ends with `close` (or when a frame fails); it keeps the process
 * alive only while frames are pending, so an error thrown meanwhile never leaves it hanging. Without a built
 * worker script (tests run from sources with no dist/), frames are encoded on the calling
 * thread when asked for.
 */
export class FrameEncoder {
  private worker: Worker | null = null;
  private revise: ((files: FileFacts[]) => FileFacts[]) | undefined | null = null;

  /** Frames are expanded as `expansion` says (null: stored as parsed). */
  constructor(private readonly expansion: FrameExpansion | null) {}

  private readonly pending = new Map<number, { resolve: (b: Buffer) => void; reject: (e: Error) => void; onMentions?: (m: MentionTable) => void }>();
  private next = 0;

  /**
   * The encoded frame of `packed`, its files expanded. The packed bytes are transferred to the
   * worker: `packed` is unusable afterwards. Rejects with the encoder's error.
   */
  encode(packed: PackedItems): Promise<Buffer> {
    return this.post({ packed }, [packed.bytes.buffer as ArrayBuffer], () => {
      if (this.revise === null) this.revise = frameReviser(this.expansion);
      return encodePackedFrame(packed, this.revise);
    });
  }

  /**
   * The encoded frame of `packed` with the files at `changed` (positions in the frame, ascending:
   * those the caller's expansion changed) expanded again in the worker thread as this encoder's
   * FrameExpansion says (revisedJson: only they are read from JSON and turned into JSON again),
   * or, given `texts` (texts[k] what the caller's expansion changed in the file at changed[k]:
   * facts-delta.ts), expanded by those (splicedJson: nothing is expanded again, and an encoder made without an
   * expansion will do); with the frame's mention table (mentionTableOfJson of the frame's JSON).
   * The packed bytes are transferred: `packed` is unusable afterwards. Rejects with the encoder's
   * error (also when files are to be expanded by an encoder made without an expansion).
   */
  encodeRevised(packed: PackedItems, changed: number[], texts?: string[]): Promise<RevisedFrame> {
    const found: { mentions: MentionTable | null } = { mentions: null };
    const bytes = this.post({ packed, changed, ...(texts ? { texts } : {}) }, [packed.bytes.buffer as ArrayBuffer], this.revisedHere(packed, changed, texts, found), (m) => (found.mentions = m));
    // Nothing made here holds `texts` once they are posted (a kernel's expanded files' deltas would wait in this heap for the encoder).
    return bytes.then((b) => ({ bytes: b, mentions: found.mentions! }));
  }

  /** encodeRevised's work on this thread (when there is no worker script): the frame's bytes, its mention table left in `found`. */
  private revisedHere(packed: PackedItems, changed: number[], texts: string[] | undefined, found: { mentions: MentionTable | null }): () => Buffer {
    return () => {
      if (this.revise === null && !texts) this.revise = frameReviser(this.expansion);
      const json = texts ? splicedJson(packed, changed, texts) : revisedJson(packed, this.revise ?? noExpansion, changed);
      found.mentions = mentionTableOfJson(json);
      return compressFactsJson(json);
    };
  }

  /** Sends one frame's message to the worker (started on the first), or encodes it here with `here` when there is no worker script. */
  private post(message: { packed?: PackedItems; json?: string; changed?: number[]; texts?: string[]; mentionsOf?: MentionsOf }, transfer: ArrayBuffer[], here: () => Buffer, onMentions?: (m: MentionTable) => void): Promise<Buffer> {
    const worker = this.worker ?? this.start();
    // Run by a function of its own: a closure made here would keep `here` (and what it holds, such as a frame's texts) until the frame is done.
    if (!worker) return encodedHere(here);
    const id = this.next++;
    const done = new Promise<Buffer>((resolve, reject) => this.pending.set(id, { resolve, reject, ...(onMentions ? { onMentions } : {}) }));
    // Handled here too: a frame that fails before anyone awaits it is no unhandled rejection.
    done.catch(() => {});
    worker.ref();
    worker.postMessage({ id, ...message }, transfer);
    return done;
  }

  /** The encoded frame of a frame's JSON text (encodeFactsFrame), in the worker thread. Rejects with the encoder's error. */
  encodeJson(json: string): Promise<Buffer> {
    return this.post({ json }, [], () => encodeFactsFrame(json));
  }

  /**
   * The mention table of every frame of the facts file `of` (mentionsOfFactsFile), made in the
   * worker thread while this one goes on; null when there is no worker script, or the file at
   * that path is no longer the one named (another process wrote over it) or does not decode.
   */
  mentionsOf(of: MentionsOf): Promise<MentionTable | null> {
    let table: MentionTable | null = null;
    return this.post({ mentionsOf: of }, [], () => Buffer.alloc(0), (m) => (table = m)).then(
      () => table,
      () => null,
    );
  }

  /** Ends the worker once every frame asked for is encoded. */
  close(): void {
    if (this.pending.size === 0) void this.worker?.terminate();
    this.worker = null;
  }

  /** Settles every pending frame with `err` and ends the worker. */
  private fail(worker: Worker, err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    if (this.worker === worker) this.worker = null;
    void worker.terminate();
  }

  private start(): Worker | null {
    const url = workerScript();
    if (!url) return null;
    const worker = new Worker(url, { workerData: this.expansion, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB } });
    worker.on('message', ({ id, bytes, error, mentions }: { id: number; bytes?: Uint8Array; error?: string; mentions?: { hashes: Uint32Array; counts: Uint8Array } }) => {
      const p = this.pending.get(id)!;
      this.pending.delete(id);
      if (mentions) p.onMentions?.(new MentionTable(mentions.hashes, mentions.counts));
      if (error !== undefined || !bytes) p.reject(new Error(error ?? 'no frame encoded'));
      else p.resolve(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      if (this.pending.size > 0) return;
      if (this.worker === worker) worker.unref();
      else void worker.terminate();
    });
    worker.on('error', (err) => this.fail(worker, err));
    worker.on('exit', () => this.fail(worker, new Error('the frame encoder stopped')));
    this.worker = worker;
    return worker;
  }
}

/** A facts file to read the mention table of (FrameEncoder.mentionsOf): its path, the identity it was written with (IndexCache.save), and its format. */
export interface MentionsOf {
  path: string;
  identity: string;
  format: number;
}

/**
 * The mention table of the facts written in the facts file `of` (resolve/mention-json.ts, frame
 * by frame, merged): the table MentionTable.of makes of those facts, read from their JSON. A
 * resolution in full from the facts cache (a patch refused) makes it so in a worker thread while
 * the graph resolves: made of the facts in the main thread it took 11.5 s of a kernel's save.
 * Throws when the file is not the one named or does not decode.
 */
export function mentionsOfFactsFile(of: MentionsOf): MentionTable {
  const file = FrameFile.open(of.path, of.format, true);
  if (typeof file === 'string') throw new Error(file);
  try {
    if (file.identity !== of.identity) throw new Error('the facts file was written over');
    const tables: MentionTable[] = [];
    for (let k = 1; k < file.frames; k++) tables.push(mentionTableOfJson(file.json(k)));
    return MentionTable.merge(tables);
  } finally {
    file.close();
  }
}
