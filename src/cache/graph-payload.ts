import { randomBytes } from 'node:crypto';
import type { CodeIndex, IndexSnapshot } from '../index/code-index.js';
import type { BindingRecordSnapshot } from '../resolve/binding-record.js';
import type { ObjectHandOffRecord } from '../resolve/object-hand-off-record.js';
import type { EdgeList, EdgeSnapshot } from '../resolve/edge-list.js';
import type { UnreadableFile } from '../types/facts.js';
import type { CallSiteSummary } from './call-site-summary.js';
import type { DefinerRecords } from './definer-records.js';
import type { BuildRecord } from './tree-build.js';

/**
 * What the cache stage holds and hands on: the graph file's payload (GraphPayload) and the opened
 * graph the API wraps (OpenedGraph).
 */

/** An index with its resolved call graph, as the cache stage hands it to the API (api/project.ts wraps it). */
export interface OpenedGraph {
  index: CodeIndex;
  edges: EdgeList;
  /** Files and folders skipped because they could not be read or are not text, by path. */
  unreadable: UnreadableFile[];
  /** What stats needs of the facts, when the graph came from the cache (absent: stats reads the facts). */
  callSites?: CallSiteSummary;
  /**
   * When the graph was patched with its nodes renumbered (functions or files added or removed):
   * the node id of each node of the cached graph it was patched from (-1: gone), so that call
   * graphs built on that one are derived (graph/derive-rows.ts). Absent: no node moved.
   */
  nodeMap?: Int32Array;
  /**
   * When the graph was patched: the paths of the files whose content changed since the cached graph
   * it was patched from (edited, added or deleted), so that what was read from the others for that
   * graph may be kept for this one (api/project.ts carryTexts). Absent: not patched.
   */
  changedFiles?: string[];
}

/** An OpenedGraph from its parts. */
export const openedGraph = (index: CodeIndex, edges: EdgeList, unreadable: UnreadableFile[], callSites?: CallSiteSummary, nodeMap?: Int32Array): OpenedGraph => ({ index, edges, unreadable, ...(callSites ? { callSites } : {}), ...(nodeMap ? { nodeMap } : {}) });

/** What the graph cache holds besides the manifest. */
export interface GraphPayload {
  /**
   * A name of this very graph (its index and edges), new each time a resolution or a patch that
   * changes them is written (newGeneration): what is made from the graph and kept beside its file
   * (cache/kept-beside.ts) is used only for the graph of the same generation. A file's identity
   * (inode, size, mtime) is no such name: a file written again may get the inode of one removed,
   * the same size and, within the clock's tick, the same mtime. Absent: the file's identity is used.
   */
  generation?: string;
  index: IndexSnapshot;
  edges: EdgeSnapshot;
  /** Files skipped when parsing (could not be read, or not text), by path. */
  unreadable?: UnreadableFile[];
  /** The build the graph was resolved under (absent when the caller gave its own binding scope). */
  build?: BuildRecord;
  /** What stats needs of the facts (absent: stats reads the facts). */
  callSites?: CallSiteSummary;
  /**
   * MentionTable.saved: per identifier hash, how many files' facts mention it other than by
   * defining or calling it; a patch that adds or removes a function reads it (absent: such a patch resolves in full).
   */
  mentions?: { hashes: Uint32Array; counts: Uint8Array };
  /**
   * The macros that may define (MacroFact.body), one record per name (definer-records.ts): a
   * patch expands the edited files' definer invocations with those they reach (absent: it does not).
   */
  definers?: DefinerRecords;
  /**
   * What the full resolution read of the type model (resolve/type-reads.ts: hashes of struct,
   * member, member order, typedef and return type keys, packed: util/packed-hashes.ts): an edit of
   * struct, typedef or prototype facts that none of them names is patched (type-edit.ts). Absent:
   * such an edit resolves in full.
   */
  typeReads?: Uint8Array;
  /**
   * The questions the full resolution asked of which structs have members of given names, with
   * how many did (resolve/type-reads.ts packMemberQueries; a lower bound after patches): a member
   * added or removed is patched when each question it may touch keeps two or more structs
   * (member-queries.ts). Absent: such an edit of a name a question named resolves in full.
   */
  memberQueries?: string;
  /**
   * Hashes (slotHash) of the names files define other than as functions and macros, packed (util/packed-hashes.ts):
   * file-scope variables, typedefs, alias macros (otherNames in type-edit.ts). A patch makes an
   * external node for a call of a name defined nowhere unless it is one (absent: unless some file mentions it).
   */
  definedOtherwise?: Uint8Array;
  /**
   * Hashes (slotHash) of the struct and union tags files define (`struct pfnet_priv`), packed
   * (util/packed-hashes.ts; defined-tags.ts), a superset after patches: a patch tells by it a tag an
   * added file alone defines, whose name the type model gives it unchanged (a new driver's private
   * struct, which keys its work items). Absent: a key of such a struct resolves in full.
   */
  definedTags?: Uint8Array;
  /**
   * How many files define each tag of definedTags, in the order of its hashes (at most 255, a
   * count that reached it never lowered; 0 for a tag no file defines any more): a patch tells by
   * it a struct one file alone defines (member-queries.ts aloneIn), and a tag a file deleted then
   * added again defines as that file's own (defined-tags.ts ownTagsOf). Absent: only a tag new to
   * the table is a file's own.
   */
  definedTagCounts?: Uint8Array;
  /** What the full resolution read and wrote of the binding table (resolve/binding-record.ts): an edit of plain bindings patches with it (absent: it resolves in full). */
  bindings?: BindingRecordSnapshot;
  /** What the resolution read to make the object hand-off edges (resolve/object-hand-off-record.ts): a queueing or registering call added or taken out is patched with it (absent: it resolves in full). */
  objectHandOffs?: ObjectHandOffRecord;
  /**
   * The facts of files patched since the facts file was written (facts-overlay.ts: JSON of
   * `[file id, facts][]`): the facts file lists those files as they were. Absent: none.
   */
  factsOverlay?: string;
  /** Where each facts frame starts (facts-layout.ts), once a patch added or removed files; absent: FACTS_PER_FRAME files a frame. */
  factsFrames?: Int32Array;
  /** Positions (file ids) of the files added since the facts file was written, ascending (facts-layout.ts): their facts are in the overlay. Absent: none. */
  factsAdded?: Int32Array;
  /** Positions in the facts file of the files deleted since it was written, ascending (facts-layout.ts). Absent: none. */
  factsDropped?: Int32Array;
}

/** A fresh GraphPayload.generation: 16 hex digits, random. */
export const newGeneration = (): string => randomBytes(8).toString('hex');

/** The identity under which what is made from a graph is kept beside its file (KeptBeside.identity): its generation, or else the file's identity (FrameFile.identity). */
export const keptIdentity = (payload: Pick<GraphPayload, 'generation'> | null | undefined, fileIdentity: string): string => (typeof payload?.generation === 'string' ? `g:${payload.generation}` : `f:${fileIdentity}`);
