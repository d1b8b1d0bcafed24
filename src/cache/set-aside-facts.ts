/**
 * Facts a cold index's resolution never reads, set aside in deflated blocks while it runs and put
 * back after: the peak of a cold index's memory is in the resolution, and the facts are most of
 * what it holds there (bench/heap-owners.mjs).
 *
 * Set aside until the graph is saved (SetAsideFacts.restore): each function's signature text
 * (FunctionFact.signature, a kernel's 56 MiB of unique strings), of which the resolution reads two
 * bits (index/signature-marks.ts: a mark stands in its place meanwhile), and each file's macro
 * invocations at file scope (FileFacts.invocations, 24 MiB), which only the expansion before reads.
 * The graph's save reads neither (its mention table is made from the frames' JSON; when it is made
 * from the facts instead, they are put back first). Set aside until the graph is resolved
 * (SetAsideFacts.resolved), since the save reads them: each file's #include directives
 * (FileFacts.includes, 22 MiB: the include graph is made from them before), and the macros' bodies
 * and member calls (MacroFact.body, .memberCalls: expansion, the definer records and queries read them).
 * Put back, the facts' JSON is the same as before they were set aside, their repeated strings
 * shared again (index/intern-facts.ts): queries the same process answers, stats and an export read them as parsed.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { Sharer } from '../index/intern-facts.js';
import { signatureMark } from '../index/signature-marks.js';
import type { FileFacts, FunctionFact, MacroFact } from '../types/facts.js';

/** Files whose set-aside facts make one block: small enough that one block's JSON text is a fraction of a MiB on a kernel. */
const FILES_PER_BLOCK = 256;

/** Fields of a file's facts set aside together: what is taken of a file (JSON data), how an object holding it is cleared, and how put back. */
interface Part {
  take(facts: FileFacts): unknown;
  clearFile(facts: FileFacts): void;
  clearFunction?(fn: FunctionFact): void;
  clearMacro?(m: MacroFact): void;
  /** Puts back `taken` (what `take` gave) into `facts`, a file as parsed (SetAsideFacts then hands the same values to the views' copies). */
  put(facts: FileFacts, taken: unknown, sharer: Sharer): void;
}

// Only where a key is is it cleared (to undefined): adding it to other objects would change their shape (and size).
/** Put back after the save: the functions' signature texts (a mark meanwhile) and the file's invocations. */
const SAVED: Part = {
  take: (facts) => [facts.functions.map((fn) => fn.signature), facts.invocations ?? null],
  clearFile: (facts) => {
    if (facts.invocations !== undefined) facts.invocations = undefined;
  },
  clearFunction: (fn) => {
    fn.signature = signatureMark(fn);
  },
  put: (facts, taken, sharer) => {
    const [signatures, invocations] = taken as [string[], FileFacts['invocations'] | null];
    facts.functions.forEach((fn, j) => (fn.signature = signatures[j]!));
    if (!invocations) return;
    for (const inv of invocations) {
      inv.name = sharer.one(inv.name);
      if (inv.cond !== undefined) inv.cond = sharer.one(inv.cond);
      sharer.all(inv.args);
    }
    facts.invocations = invocations;
  },
};

/** Put back once the graph is resolved (the save reads them): the file's #include directives, its macros' bodies and member calls ([body, memberCalls] or 0 per macro). */
const RESOLVED: Part = {
  take: (facts) => [facts.includes, facts.macros.map((m) => (m.body === undefined && m.memberCalls === undefined ? 0 : [m.body ?? null, m.memberCalls ?? null]))],
  // Undefined, not empty: a read of them while they are aside fails at once instead of finding no directive.
  clearFile: (facts) => {
    (facts as { includes?: unknown }).includes = undefined;
  },
  clearMacro: (m) => {
    if (m.body !== undefined) m.body = undefined;
    if (m.memberCalls !== undefined) m.memberCalls = undefined;
  },
  put: (facts, taken, sharer) => {
    const [includes, macros] = taken as [FileFacts['includes'], (0 | [string | null, string[] | null])[]];
    for (const inc of includes) {
      inc.path = sharer.one(inc.path);
      if (inc.cond !== undefined) inc.cond = sharer.one(inc.cond);
    }
    facts.includes = includes;
    facts.macros.forEach((m, j) => {
      const kept = macros[j];
      if (!kept) return;
      if (kept[0] !== null) m.body = kept[0];
      if (kept[1] !== null) m.memberCalls = kept[1];
    });
  },
};

/**
 * The set-aside facts of `views` (see the module comment): the same files by file id, the facts as
 * parsed first (CodeIndex's raw facts), then any copy of them (the configured facts, whose files,
 * functions and macros are copies of some of the raw ones: each copy is set aside and put back too).
 */
export class SetAsideFacts {
  private readonly blocks = new Map<Part, Buffer[]>();

  private readonly views: readonly FileFacts[][];

  /**
   * Sets aside the facts of `views` (each an array of the same files by file id; the first the facts as parsed, a view equal to it is skipped).
   * The include graph must be made (CodeIndex.includeGraph reads the directives when first asked for).
   */
  constructor(views: readonly FileFacts[][]) {
    this.views = views.filter((v, i) => i === 0 || v !== views[0]);
    for (const part of [SAVED, RESOLVED]) {
      const raw = this.views[0]!;
      const blocks: Buffer[] = [];
      for (let first = 0; first < raw.length; first += FILES_PER_BLOCK) {
        const end = Math.min(raw.length, first + FILES_PER_BLOCK);
        blocks.push(deflateRawSync(JSON.stringify(raw.slice(first, end).map((f) => part.take(f))), { level: 1 }));
        for (let i = first; i < end; i++) this.each(i, (facts) => part.clearFile(facts), part.clearFunction, part.clearMacro);
      }
      this.blocks.set(part, blocks);
    }
  }

  /** Puts back what was set aside until the graph is resolved (the #include directives, the macros' bodies and member calls); once. */
  resolved(): void {
    this.putBack(RESOLVED);
  }

  /** Puts back everything set aside (once; later calls do nothing). */
  restore(): void {
    this.putBack(RESOLVED);
    this.putBack(SAVED);
  }

  private putBack(part: Part): void {
    const blocks = this.blocks.get(part);
    if (!blocks) return;
    this.blocks.delete(part);
    // The repeated strings were one copy each (index/intern-facts.ts): so they are again.
    const sharer = new Sharer(new Map());
    blocks.forEach((bytes, b) => {
      const taken = JSON.parse(inflateRawSync(bytes).toString('utf8')) as unknown[];
      taken.forEach((t, k) => {
        const i = b * FILES_PER_BLOCK + k;
        part.put(this.views[0]![i]!, t, sharer);
        // A view's copies of the file, its functions and macros hold what the raw objects hold now.
        const raw = this.views[0]![i]!;
        for (const view of this.views.slice(1)) {
          const copy = view[i]!;
          if (copy === raw) continue;
          if (copy.invocations !== raw.invocations) copy.invocations = raw.invocations;
          if (copy.includes !== raw.includes) copy.includes = raw.includes;
          copy.functions.forEach((fn, j) => fn !== raw.functions[j] && (fn.signature = raw.functions[j]!.signature));
          copy.macros.forEach((m, j) => {
            const from = raw.macros[j]!;
            if (m === from) return;
            if (from.body !== undefined) m.body = from.body;
            if (from.memberCalls !== undefined) m.memberCalls = from.memberCalls;
          });
        }
      });
    });
  }

  /** Calls `file` on each distinct object of file `i` among the views, `fn` on each distinct function of it and `macro` on each distinct macro. */
  private each(i: number, file: (facts: FileFacts) => void, fn?: (f: FunctionFact) => void, macro?: (m: MacroFact) => void): void {
    const raw = this.views[0]![i]!;
    if (fn) raw.functions.forEach((f) => fn(f));
    if (macro) raw.macros.forEach((m) => macro(m));
    file(raw);
    for (const view of this.views.slice(1)) {
      const copy = view[i]!;
      if (copy === raw) continue;
      file(copy);
      if (fn) copy.functions.forEach((f, j) => f !== raw.functions[j] && fn(f));
      if (macro) copy.macros.forEach((m, j) => m !== raw.macros[j] && macro(m));
    }
  }
}
