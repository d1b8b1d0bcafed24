import { rowReads } from '../util/row-reads.js';
import type { IndexSnapshot } from './node-flags.js';

/** The per-node columns of an index. */
type NodeColumn = 'nodeName' | 'nodeFile' | 'nodeLine' | 'nodeFlags' | 'nodeItem';

/** The node columns, each as long as there are nodes. */
const NODE_COLUMNS: readonly NodeColumn[] = ['nodeFlags', 'nodeName', 'nodeFile', 'nodeLine', 'nodeItem'];

/**
 * The node columns of an index (CodeIndex): each column had whole once asked for, built or read
 * from the snapshot the index was loaded from, and single rows read alone before that.
 */
export abstract class NodeColumns {
  /** The node columns once had whole (built, or read whole from the snapshot), by name. */
  protected readonly held: Partial<Pick<IndexSnapshot, NodeColumn>> = {};
  /** The snapshot an index was loaded from: its node columns are read whole when first asked for, single rows before that (see row). */
  protected source: IndexSnapshot | null = null;

  /** Node id -> interned name. */
  get nodeName(): Int32Array {
    return (this.held.nodeName ??= this.source!.nodeName);
  }

  set nodeName(v: Int32Array) {
    this.held.nodeName = v;
  }

  /** Node id -> index into `files` (-1 for external nodes). */
  get nodeFile(): Int32Array {
    return (this.held.nodeFile ??= this.source!.nodeFile);
  }

  set nodeFile(v: Int32Array) {
    this.held.nodeFile = v;
  }

  /** Node id -> 1-based line of the definition. */
  get nodeLine(): Int32Array {
    return (this.held.nodeLine ??= this.source!.nodeLine);
  }

  set nodeLine(v: Int32Array) {
    this.held.nodeLine = v;
  }

  /** Node id -> NodeFlag bits. */
  get nodeFlags(): Uint8Array {
    return (this.held.nodeFlags ??= this.source!.nodeFlags);
  }

  set nodeFlags(v: Uint8Array) {
    this.held.nodeFlags = v;
  }

  /** Node id -> index into its file's `functions` (or `macros` for macro nodes). */
  get nodeItem(): Int32Array {
    return (this.held.nodeItem ??= this.source!.nodeItem);
  }

  set nodeItem(v: Int32Array) {
    this.held.nodeItem = v;
  }

  /**
   * Row `node` of a node column: from the column once had whole, else read alone from the
   * snapshot's stored column (util/row-reads.ts): a query prints a few dozen of a kernel's
   * 722,000 nodes, and reading their five columns whole cost it 6 MB of reads.
   */
  private row(column: NodeColumn, node: number): number {
    const whole = this.held[column];
    if (whole) return whole[node]!;
    const reads = this.source ? rowReads(this.source, column) : undefined;
    return reads ? reads.at(node) : this[column][node]!;
  }

  /**
   * The nodes by file as runs: [file, end] pairs in node order (`end`: one past the run's last
   * node; file -1 for external nodes). Read as stored while the nodeFile column is not read whole
   * and the snapshot keeps it as runs (cache/column-format.ts `runs`: a kernel's 722,000 nodes in
   * some 33,000 runs, where decoding the column took a warm path query 20 ms); else made from it.
   */
  fileRuns(): Int32Array {
    const stored = this.held.nodeFile || !this.source ? undefined : rowReads(this.source, 'nodeFile')?.runEnds?.();
    if (stored) return stored;
    const files = this.nodeFile;
    const pairs: number[] = [];
    for (let n = 0; n < files.length; n++) {
      if (n + 1 < files.length && files[n + 1] === files[n]) continue;
      pairs.push(files[n]!, n + 1);
    }
    return Int32Array.from(pairs);
  }

  /** The interned name of a node (`nodeName`), read alone while the column is not read whole. */
  nameIdOf(node: number): number {
    return this.row('nodeName', node);
  }

  /** The file id of a node (`nodeFile`, -1 for an external node), read alone while the column is not read whole. */
  fileIdOf(node: number): number {
    return this.row('nodeFile', node);
  }

  /** The line of a node's definition (`nodeLine`), read alone while the column is not read whole. */
  lineOf(node: number): number {
    return this.row('nodeLine', node);
  }

  /** The NodeFlag bits of a node (`nodeFlags`), read alone while the column is not read whole. */
  flagsOf(node: number): number {
    return this.row('nodeFlags', node);
  }

  /** The index of a node in its file's `functions` or `macros` (`nodeItem`), read alone while the column is not read whole. */
  itemOf(node: number): number {
    return this.row('nodeItem', node);
  }

  /**
   * How many nodes there are: the length of any node column already had whole, else of one read
   * by rows (its length is known without reading it), else of nodeName read whole. A column once
   * read whole has no row reads left: a query that had read nodeFlags whole read the 2.9 MB
   * nodeName column of a kernel only for its length.
   */
  get nodeCount(): number {
    const h = this.held;
    const whole = h.nodeName ?? h.nodeFlags ?? h.nodeFile ?? h.nodeLine ?? h.nodeItem;
    if (whole) return whole.length;
    if (!this.source) return this.nodeName.length;
    for (const c of NODE_COLUMNS) {
      const n = rowReads(this.source, c)?.length;
      if (n !== undefined) return n;
    }
    return this.nodeName.length;
  }
}
