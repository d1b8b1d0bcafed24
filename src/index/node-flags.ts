/**
 * The node bits and on-disk node tables of CodeIndex (code-index.ts re-exports them): what each
 * bit of a node says, and the flat arrays a snapshot stores.
 */
import type { FunctionFact } from '../types/facts.js';

/** Bits of `CodeIndex.nodeFlags`. */
export const NodeFlag = {
  /** A static function: visible in its own file only (or, in a header, in every file including it). */
  Static: 1,
  /** A function-like macro rather than a function. */
  Macro: 2,
  /** Defined in a header. */
  Header: 4,
  /**
   * Called by name but defined in no indexed file (nor a macro there): a leaf with no file,
   * line or item (`nodeFile` and `nodeItem` are -1, `nodeLine` 0). Made by the resolver.
   */
  External: 8,
  /** A global function whose every call is a tail call (FunctionFact.tailCalls): no frame of it is left on a stack taken below it. */
  TailCalls: 16,
  /** A function that calls one of its own parameters (a callback: CallFact.param), so a callees tree lists those calls from its facts. */
  CallsParameter: 32,
  /**
   * A function whose definition spans at most SHORT_FUNCTION_LINES lines from its name to its
   * closing brace: small enough that a compiler inlines it into callers of its own translation
   * unit, global or not (GCC's -finline-small-functions, on at -O2, keeps an out-of-line copy of a
   * global one). fs/open.c do_sys_open is inlined into __x64_sys_openat so.
   */
  Short: 64,
  /** A function marked noinline (FunctionFact.noinline): it keeps its frame, static or short as it may be. */
  NoInline: 128,
} as const;

/** The most lines (name to closing brace, FunctionFact.line to endLine) of a function NodeFlag.Short marks: a body of about three statements. */
export const SHORT_FUNCTION_LINES = 6;

/** The NodeFlag bits of a function of a file (header or not) that its facts give. */
export const functionFlags = (fn: Pick<FunctionFact, 'isStatic' | 'tailCalls' | 'calls' | 'line' | 'endLine' | 'noinline'>, header: number): number =>
  (fn.isStatic ? NodeFlag.Static : 0) |
  (fn.noinline ? NodeFlag.NoInline : 0) |
  (fn.tailCalls ? NodeFlag.TailCalls : 0) |
  (fn.calls.some((c) => c.param !== undefined) ? NodeFlag.CallsParameter : 0) |
  (fn.endLine - fn.line < SHORT_FUNCTION_LINES ? NodeFlag.Short : 0) |
  header;

/** The node tables of an index as plain data, for the on-disk cache. */
export interface IndexSnapshot {
  files: string[];
  strings: string[];
  /** String ids in string order: names are found by binary search, with no map to rebuild. */
  sortedStrings: Int32Array;
  nodeName: Int32Array;
  nodeFile: Int32Array;
  nodeLine: Int32Array;
  nodeFlags: Uint8Array;
  nodeItem: Int32Array;
  /** Rows of node ids by string id: nameStart[s]..nameStart[s+1] index nameNodes. */
  nameStart: Int32Array;
  nameNodes: Int32Array;
}
