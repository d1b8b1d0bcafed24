import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CallGraph } from '../graph/call-graph.js';
import type { CodeIndex } from '../index/code-index.js';
import { calledExpression, lineStart } from '../parse/call-text.js';
import { fileParser } from '../parse/file-parser.js';
import { substitute } from '../parse/macro-expand.js';
import { splitArguments } from '../parse/macro-invocations.js';
import { blankLiterals, closingParen } from '../parse/macro-stores.js';
import { isIndirect, kindId } from '../resolve/edge-kind.js';
import type { CallFact, FileFacts } from '../types/facts.js';
import { CallTexts, type SourceStamp } from './call-texts-file.js';

/** Lines fit in 22 bits: (caller, line) pairs make one safe integer key. */
const LINE_SPAN = 1 << 22;

/** What a path step through a pointer call tells the user: how many targets, called how. */
export interface PointerCall {
  /** Distinct targets bound at the call site by the edge kinds the graph keeps. */
  targets: number;
  /** The called expression as written (`file->f_op->write`); absent when it cannot be read back. */
  via?: string;
  /** For a dispatch-table edge: the profile's table it was read from. */
  dispatchTable?: { name: string; file: string };
  /** For a callback-arg edge: the function called at the call site, which calls the callback passed to it. */
  passedTo?: string;
}

const DISPATCH_TABLE = kindId('dispatch-table');
const CALLBACK_ARG = kindId('callback-arg');

/**
 * For each edge of an indirect kind among `edgeIds`: the number of targets its call site binds
 * in `graph` (after the query's edge filter) and the called expression. A call site is known by
 * its caller and line (the cached graph keeps no column), so two pointer calls on one line count
 * together. The expression is read back from the source: the caller's file is scanned again for
 * the column of its pointer call on that line, done only for the files of the edges asked about,
 * unless `kept` knows it (the texts kept for this graph: call-texts-file.ts), and learnt there. An
 * index from an export has no source: no expression (`via`). `counts`, when given, says which of
 * a site's edges count among its targets (--built-only: those to code the build makes,
 * BuiltOnly.keeps); the others are not counted.
 */
export function pointerCalls(index: CodeIndex, graph: Pick<CallGraph, 'edges' | 'keep'>, edgeIds: Iterable<number>, kept: CallTexts = new CallTexts(), counts?: (edge: number) => boolean): Map<number, PointerCall> {
  const { edges } = graph;
  const wanted = new Map<number, number[]>();
  const callers = new Uint8Array(index.nodeCount);
  for (const e of edgeIds) {
    const kind = edges.kind.get(e);
    if (!isIndirect(kind) || !graph.keep(kind)) continue;
    const caller = edges.callerOf(e);
    const key = caller * LINE_SPAN + edges.lineOf(e);
    wanted.set(key, [...(wanted.get(key) ?? []), e]);
    callers[caller] = 1;
  }
  const out = new Map<number, PointerCall>();
  if (wanted.size === 0) return out;
  // The targets of the wanted (caller, line) sites, from the edges of their callers.
  const targets = new Map<number, Set<number>>();
  const to = edges.to.view();
  const kind = edges.kind.view();
  const callerOf: number[] = [];
  for (const [i, e] of edges.edgesFrom(callers, callerOf).entries()) {
    if (!isIndirect(kind[e]!) || !graph.keep(kind[e]!)) continue;
    const key = callerOf[i]! * LINE_SPAN + edges.lineOf(e);
    if (!wanted.has(key) || (counts && !counts(e))) continue;
    const set = targets.get(key) ?? new Set<number>();
    set.add(to[e]!);
    targets.set(key, set);
  }
  const texts = new SourceTexts(index, kept);
  for (const [key, ids] of wanted) {
    const caller = Math.floor(key / LINE_SPAN);
    const via = texts.at(caller, key % LINE_SPAN);
    for (const e of ids) {
      const call: PointerCall = { targets: targets.get(key)?.size ?? 1, ...(via ? { via } : {}) };
      const kindOf = edges.kind.get(e);
      if (kindOf === DISPATCH_TABLE) {
        const files = new Set(edges.evidenceOf(e, '').map((b) => b.file));
        const table = index.profile.dispatchTables.find((t) => files.has(t.table));
        if (table) call.dispatchTable = { name: table.name, file: table.table };
      } else if (kindOf === CALLBACK_ARG) {
        const passedTo = texts.namedCallAt(caller, key % LINE_SPAN);
        if (passedTo) call.passedTo = passedTo;
      }
      out.set(e, call);
    }
  }
  return out;
}

/** Reads called expressions back from the source, each file scanned once, unless kept (see pointerCalls). */
class SourceTexts {
  private parse: ((path: string) => FileFacts) | null | undefined;
  /** A file's facts and source text, with its stamp when read; the source is null for an index from an export (no tree at hand). */
  private readonly files = new Map<number, { facts: FileFacts; source: string | null; stamp?: SourceStamp } | null>();

  constructor(
    private readonly index: CodeIndex,
    private readonly kept: CallTexts,
  ) {}

  /** The expression of the pointer call `caller` makes on `line`, or null. */
  at(caller: number, line: number): string | null {
    // An index export has no source: nothing is read, so nothing is kept.
    if (this.index.root === null) return this.readAt(caller, line);
    return this.keptOr(caller, `v:${caller}:${line}`, () => this.readAt(caller, line));
  }

  /** The name of the first call by name `caller` makes on `line` (the one that takes a callback), or null. */
  namedCallAt(caller: number, line: number): string | null {
    if (this.index.root === null) return this.readNamedCallAt(caller, line);
    return this.keptOr(caller, `n:${caller}:${line}`, () => this.readNamedCallAt(caller, line));
  }

  /** The text kept under `key`, else read from `caller`'s file (and kept when that file could be read). */
  private keptOr(caller: number, key: string, read: () => string | null): string | null {
    const known = this.kept.get(key);
    if (known !== undefined) return known;
    const text = read();
    const stamp = this.files.get(this.index.fileIdOf(caller))?.stamp;
    if (stamp) this.kept.learn(key, text, stamp);
    return text;
  }

  private readAt(caller: number, line: number): string | null {
    const file = this.file(caller);
    if (!file?.source) return null;
    // A function a definer macro makes at this line: its pointer call is in the macro's body.
    if (this.index.nodeLine[caller] === line) {
      const made = this.readInDefinerAt(file.source, line);
      if (made !== undefined) return made;
    }
    const calls = this.callsOf(caller, file.facts).filter((c) => c.line === line && (c.name === undefined || c.hints !== undefined));
    if (calls.length === 0) return null;
    const call = calls.reduce((a, b) => (b.col < a.col ? b : a));
    return calledExpression(file.source, line, call.col, call.hints !== undefined);
  }

  /**
   * The pointer call of a function the macro invoked at `line` defines (`FULL_PROXY_FUNC(write,
   * ...)` making full_proxy_write): the one call through a member in the macro's body
   * (MacroFact.memberCalls: `real_fops->name`) with the invocation's arguments for its parameters
   * (`real_fops->write`); null when the macro's body makes none or several (the call cannot be
   * told); undefined when the line opens no invocation of a macro.
   */
  private readInDefinerAt(source: string, line: number): string | null | undefined {
    const at = lineStart(source, line);
    if (at < 0) return undefined;
    // Literals blanked, so that a `)` inside one closes nothing; an invocation spans a few lines.
    const text = blankLiterals(source.slice(at, at + 8192));
    const head = /^[ \t]*([A-Za-z_]\w*)\s*\(/.exec(text);
    if (!head) return undefined;
    const name = head[1]!;
    const macro = this.index.nodesNamed(name).find((n) => this.index.isMacro(n) && !this.index.isExternal(n));
    if (macro === undefined) return undefined;
    const facts = this.file(macro)?.facts.macros.find((m) => m.name === name && m.line === this.index.nodeLine[macro]);
    const calls = facts?.memberCalls;
    if (!facts || calls?.length !== 1) return null;
    const open = head[0].length - 1;
    const close = closingParen(text, open);
    if (close < 0) return null;
    return substitute({ params: facts.params, body: calls[0]! }, splitArguments(text.slice(open + 1, close))).replace(/\s+/g, '');
  }

  private readNamedCallAt(caller: number, line: number): string | null {
    const file = this.file(caller);
    if (!file) return null;
    const calls = this.callsOf(caller, file.facts).filter((c) => c.line === line && c.name !== undefined && c.hints === undefined);
    if (calls.length === 0) return null;
    return calls.reduce((a, b) => (b.col < a.col ? b : a)).name!;
  }

  private callsOf(node: number, facts: FileFacts): CallFact[] {
    const { index } = this;
    if (index.hasFacts) return index.calls(node);
    const items: { name: string; calls: CallFact[] }[] = index.isMacro(node) ? facts.macros : facts.functions;
    const name = index.name(node);
    const item = items[index.itemOf(node)];
    return (item?.name === name ? item : items.find((i) => i.name === name))?.calls ?? [];
  }

  private file(node: number): { facts: FileFacts; source: string | null; stamp?: SourceStamp } | null {
    const id = this.index.fileIdOf(node);
    if (!this.files.has(id)) {
      const path = this.index.file(node);
      const { root } = this.index;
      // The scanner is made when a file is first read: a query whose texts are all kept never makes it.
      if (this.parse === undefined) this.parse = root === null ? null : fileParser(root, this.index.profile, 'scan');
      try {
        if (root === null || !this.parse) {
          // No tree (an index from an export): the facts it holds, without the source text.
          this.files.set(id, { facts: this.index.fileFacts(id), source: null });
        } else {
          // Stamped as read (fstat of the descriptor read): a text kept holds while the file keeps that stamp (call-texts-file.ts).
          const fd = openSync(join(root, path), 'r');
          let source: string;
          let stamp: SourceStamp;
          try {
            const stat = fstatSync(fd);
            stamp = { path, size: stat.size, mtimeMs: stat.mtimeMs };
            source = readFileSync(fd, 'latin1');
          } finally {
            closeSync(fd);
          }
          this.files.set(id, { facts: this.index.hasFacts ? this.index.files[id]! : this.parse(path), source, stamp });
        }
      } catch {
        // The file went away since indexing (or no facts are at hand): the hint goes without its expression.
        this.files.set(id, null);
      }
    }
    return this.files.get(id)!;
  }
}
