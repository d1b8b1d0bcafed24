import type { CodeIndex, IndexSnapshot } from '../index/code-index.js';
import type { Profile } from '../profiles/profile.js';
import type { EdgeSnapshot } from '../resolve/edge-list.js';
import type { MentionTable } from '../resolve/mention-table.js';
import type { DroppedEvaluations, ObjectHandOffRecord } from '../resolve/object-hand-off-record.js';
import type { FileFacts } from '../types/facts.js';
import type { BindingScope } from '../types/scope.js';
import type { FilePlan } from './plan-file-edit.js';
import type { SiteRunRow } from '../resolve/add-member-sites.js';

/** One edited file: its id, facts before and after, and the plan of its edit. */
export interface EditedFile {
  at: number;
  before: FileFacts;
  after: FileFacts;
  plan: FilePlan;
}

/** What the patch needs of the cached graph and of the tree. */
export interface DefinitionPatchInput {
  root: string;
  profile: Profile;
  index: IndexSnapshot;
  edges: EdgeSnapshot;
  edited: EditedFile[];
  /** The facts of a file that was not edited (read from the facts cache). */
  factsOf: (file: number) => FileFacts;
  /** The binding oracles of an index (from the build record kept with the graph). */
  scope: (index: CodeIndex) => BindingScope;
  /** Files mentioning each identifier, as the cached graph's facts stood; null when the cache keeps none. */
  mentions: MentionTable | null;
  /**
   * The last segment of every name an `#include` directive of the tree opens (BuildRecord.includeNames): a `.c` file whose name is
   * none of them is seen by no other file, so its statics are its own (value-mentions.ts). Absent: every file may be seen.
   */
  includeNames?: readonly string[];
  /** The file-scope variables the plans left out (added, deleted, or added to or taken out of kept files: file-globals.ts), whose initializers of a function take its address and nothing else. */
  variables?: ReadonlySet<string>;
  /**
   * True when some file defines `name` other than as a function or macro (a file-scope variable, a
   * typedef, an alias macro: a call of it then makes no external node, resolve.ts); absent: unknown,
   * and only a name no file mentions may become an external node.
   */
  definedOtherwise?: (name: string) => boolean;
  /**
   * By edited file: names whose calls in it bind otherwise once its #include lines changed
   * (include-edit.ts includeRebinds); their edges are taken out and the calls bound again.
   */
  rebound?: ReadonlyMap<number, ReadonlySet<string>>;
  /** Calls of files not edited (by node of the cached graph and call site) that bind otherwise once an edited header's #include lines changed: bound again. */
  reboundSites?: readonly { node: number; site: number }[];
  /** The binding oracles the cached graph was resolved under, when an edit of #include lines changed them (absent: `scope`). */
  scopeBefore?: (index: CodeIndex) => BindingScope;
  /** What the resolution read to make the object hand-off edges (GraphPayload.objectHandOffs); absent: a queueing or registering call added resolves in full. */
  objectHandOffs?: ObjectHandOffRecord;
  /** The record's type evaluations the edits may have made wrong (handOffInput); absent: none. */
  droppedEvaluations?: DroppedEvaluations;
  /** Whether the edited file at `path` alone defines a struct or union tag (defined-tags.ts ownTagsOf); absent: none is known to. */
  ownTags?: (path: string, tag: string) => boolean;
  /**
   * True when the binding record keeps the call sites parameter stores bound from and the stores'
   * seeds (SlotFlowRecord.addCaller, .seedNode): a call passing a function by name where it is
   * stored into a member may then be added or taken out (the binding patch makes its bindings again).
   */
  storesKept?: boolean;
  /**
   * The call sites (old node id * 2^20 + call site) the binding record makes the callback-arg edges
   * of again when the member they pass where it is called changes (resolve/called-reads.ts
   * CalledRead, calledReadKeys); absent: none.
   */
  calledReads?: ReadonlySet<number>;
}

/** The patched graph: the index (with facts read on demand), its edges, and where the old nodes went. */
export interface DefinitionPatch {
  index: CodeIndex;
  edges: EdgeSnapshot;
  /** Old node id -> new node id (-1: gone); null when no node moved. */
  map: Int32Array | null;
  /** The index as it stood before, with the edited files' old facts (for the call-site summary). */
  before: CodeIndex;
  /** The snapshot `index` was made from (to be cached). */
  snapshot: IndexSnapshot;
  /** How many callers had their callback-arg edges made again (patch-callbacks.ts), for `-v`. */
  callbackCallers: number;
  /** The callers (new ids) whose calls passing a function where it is stored changed: the binding patch makes their bindings again (patch-param-stores.ts). */
  storeCallers: ReadonlySet<number>;
  /** How many queueing calls added had their object hand-off edges made (patch-object-hand-offs.ts), for `-v`. */
  queueingCalls: number;
  /** How many keys of work handed off by an object had the edges of their queueing calls made again (a registration added, taken out or binding anew), for `-v`. */
  handOffKeys: number;
  /** How many dispatchers (do_one_initcall) had their registration edges made again (patch-registrations.ts), for `-v`. */
  registrationDispatchers: number;
  /** The record of the object hand-offs with the patched graph's node ids and call sites (absent: the cached graph kept none, or a registration moved out of reach). */
  objectHandOffs?: ObjectHandOffRecord;
  /** The cached graph's edges of the edited files' call sites, read before the patch (moved-member-runs.ts editedSiteRuns); absent unless the edits may move a call through a member. */
  siteRunsBefore?: ReadonlyMap<number, readonly SiteRunRow[]>;
}
