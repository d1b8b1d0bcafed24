import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { EXTRACTORS, type Extractor } from '../parse/file-parser.js';
import { EDGE_KINDS } from '../resolve/edge-kind.js';
import { DEFAULT_MAX_NODES } from '../render/picture/options.js';
import { FORMATS, type Format } from '../render/formats.js';
import { UsageError } from '../util/errors.js';
import { rejectRepeatedOptions } from './repeated-options.js';

/** Options shared by every command. */
export interface CommonOptions {
  root: string;
  arch?: string;
  /** A kernel configuration (.config) deciding which definitions are active; absent: `.config` at the root or in $KBUILD_OUTPUT, else the arch's defconfig. */
  config?: string;
  /** As given; absent: taken from the extension of --output, else text. Picture formats are for path, callees and callers queries only. */
  format?: Format;
  jobs?: number;
  parser: Extractor;
  quiet?: boolean;
  /** Phases of the open with their times, how the graph was had and why, and the query's time, on stderr. */
  verbose?: boolean;
  indirect: boolean;
  /** A cache folder, or false for --no-cache. */
  cache?: string | false;
  minConfidence?: (typeof EDGE_KINDS)[number];
  /** An index export (`pathfind index --export FILE`) to query instead of a tree. */
  index?: string;
  /** Keys of the options written on the command line (see PictureCliOptions.written). */
  written?: string[];
  /** --json: the same as --format json; the parsed options have `format` set from it. */
  json?: boolean;
}

/** Options of the commands that draw pictures (paths, callees, callers). */
export interface PictureCliOptions {
  /** Write the output to this file; its extension gives the format unless --format is given. */
  output?: string;
  cluster: 'file' | 'dir' | 'none';
  rankdir: 'TB' | 'LR';
  sourceUrl?: string;
  maxNodes: number;
  exclude: string[];
  /** False with --no-default-excludes. */
  defaultExcludes: boolean;
  theme: 'light' | 'dark' | 'auto';
  /** Answers through code the configuration builds only: no function of a file Kbuild does not build, no pointer call bound only in such files. */
  builtOnly?: boolean;
  /** Keys of the options the user wrote on the command line (commander's value source 'cli'), for notes on options that do not apply. */
  written?: string[];
}

export interface PathOptions extends CommonOptions, PictureCliOptions {
  start?: string;
  target?: string;
  k: number;
  maxDepth?: number;
  via: string[];
  avoid: string[];
  distinctBy?: 'dispatch';
  /**
   * true (--deferred): let paths cross deferred hops (softirq, tasklet, workqueue, RCU, IRQ) even
   * when a synchronous path exists; false (--no-deferred): never; absent: synchronous paths first,
   * through deferred hops when there is none or when the synchronous one is a detour twice as long.
   */
  deferred?: boolean;
}

/** Options of `pathfind check`: its own --format (report formats), not the query formats. */
export interface CheckOptions extends Omit<CommonOptions, 'format'> {
  format: CheckFormat;
  /** A step may skip up to this many calls (a note says which); 0 by default. */
  maxGap: number;
  /** Warnings (a `file:line` that does not match) count as errors. */
  strict?: boolean;
  /** Documents in which no call chain is found pass (exit 0) instead of being an input error (exit 2). */
  allowEmpty?: boolean;
  /** SARIF artifact URIs are relative to this folder (default: the current directory). */
  repoRoot?: string;
  /** Limit the files indexed to these paths of the tree (the positional paths of other commands). */
  limit: string[];
}

/** Report formats of `pathfind check`. */
export const CHECK_FORMATS = ['text', 'json', 'github', 'sarif'] as const;
export type CheckFormat = (typeof CHECK_FORMATS)[number];

export interface TreeOptions extends CommonOptions, PictureCliOptions {
  depth: number;
}

/** What the program does once arguments are parsed; injected so parsing can be tested alone. */
export interface Actions {
  paths(paths: string[], options: PathOptions): Promise<void>;
  tree(direction: 'callees' | 'callers', fn: string, paths: string[], options: TreeOptions): Promise<void>;
  stats(paths: string[], options: CommonOptions & { json?: boolean }): Promise<void>;
  explain(caller: string, callee: string, paths: string[], options: CommonOptions): Promise<void>;
  index(paths: string[], options: CommonOptions & { json?: boolean; export?: string }): Promise<void>;
  check(docs: string[], options: CheckOptions): Promise<void>;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/**
 * A function name given to an option (`-s`, `-t`, `--via`, `--avoid`): never one starting with `-`,
 * which is the next option taken as the value (`--via --built-only`: commander takes any word).
 */
function functionName(value: string): string {
  if (value.startsWith('-')) throw new InvalidArgumentError('expected a function name, not an option');
  return value;
}

/** functionName for a repeatable option. */
const collectFunction = (value: string, previous: string[]): string[] => collect(functionName(value), previous);

/**
 * A subcommand's options merged with the program's: common options may be written before
 * the subcommand (`pathfind -C linux callees f`) or after it; what the user wrote wins over defaults.
 * Throws a UsageError naming the options written before the subcommand that it does not take
 * (`pathfind -o x.svg stats`), as commander rejects them after it.
 */
function mergedOptions<T>(cmd: Command): T {
  const merged: Record<string, unknown> = { ...cmd.opts() };
  const parent = cmd.parent;
  if (parent) {
    const own = new Set(cmd.options.map((o) => o.attributeName()));
    const foreign: string[] = [];
    for (const [key, value] of Object.entries(parent.opts())) {
      if (parent.getOptionValueSource(key) !== 'cli') continue;
      if (!own.has(key)) foreign.push(parent.options.find((o) => o.attributeName() === key)?.flags.replace(/ [<[].*$/, '') ?? key);
      else if (cmd.getOptionValueSource(key) !== 'cli') merged[key] = value;
    }
    if (foreign.length) {
      const which = foreign.length === 1 ? `option '${foreign[0]}' does` : `options ${foreign.map((f) => `'${f}'`).join(', ')} do`;
      throw new UsageError(`${which} not apply to ${cmd.name()} (see 'pathfind ${cmd.name()} --help')`);
    }
  }
  merged.written = writtenOptions(cmd);
  return jsonAsFormat(merged) as T;
}

/**
 * `--json` turned into `--format json` (the options given back, changed). Throws a UsageError
 * when --format names another format.
 */
function jsonAsFormat<T extends { json?: unknown; format?: unknown; written?: string[] }>(o: T): T {
  if (!o.json) return o;
  // A format the command defaults to (check's text) is no contradiction; one written is.
  const given = o.written ? o.written.includes('format') : o.format !== undefined;
  if (given && o.format !== 'json') throw new UsageError(`'--json' and '--format ${String(o.format)}' contradict each other: give one of them`);
  o.format = 'json';
  return o;
}

/** Keys of the options written on the command line for `cmd` or, before the subcommand, for its parent. */
function writtenOptions(cmd: Command): string[] {
  const keys = new Set<string>();
  for (let c: Command | null = cmd; c; c = c.parent) for (const key of Object.keys(c.opts())) if (c.getOptionValueSource(key) === 'cli') keys.add(key);
  return [...keys].sort();
}

/** The common options; `format` is the command's --format (the query formats unless given). */
function common(cmd: Command, format = new Option('--format <format>', 'output format (dot, svg, mermaid, html: paths, callees and callers only; default: from -o FILE, else text)').choices([...FORMATS])): Command {
  return cmd
    .option('-C, --root <dir>', 'root of the C tree', '.')
    .option('--arch <name>', "architecture indexed under arch/ ('all' for every one)")
    .option('--config <file>', 'kernel configuration (.config) that decides which definitions are built and active (default: .config in the tree or in $KBUILD_OUTPUT, else the arch defconfig)')
    .addOption(format)
    .option('--json', 'same as --format json')
    .option('-j, --jobs <n>', 'parser threads (default: one per core)', positiveInt)
    .addOption(new Option('--parser <name>', 'fact extractor: the fast scanner, or tree-sitter (several times slower)').choices([...EXTRACTORS]).default('scan'))
    .option('-q, --quiet', 'no progress output')
    .option('-v, --verbose', 'on stderr: the phases of indexing (discover, parse, resolve, save) with their times, whether the graph came from the cache, the incremental path or a full resolution and why, and the query time')
    .option('--index <file>', "query this index export (made by 'pathfind index --export FILE') instead of a tree: no tree, -C or path limits")
    .option('--cache <dir>', 'index cache folder (default: .pathfind/ in the tree, or the user cache when the tree is read-only)')
    .option('--no-cache', 'neither read nor write the index cache')
    .option('--no-indirect', 'direct calls and macro uses only (what cflow sees)')
    .addOption(new Option('--min-confidence <kind>', 'drop edge kinds weaker than this one').choices([...EDGE_KINDS]));
}

/** Options of the picture formats, for the commands that draw (paths, callees, callers). */
function pictures(cmd: Command): Command {
  return cmd
    .option('-o, --output <file>', 'write to FILE; its extension (.dot .gv .svg .mmd .mermaid .html .htm .json .txt) gives the format unless --format is given')
    .addOption(new Option('--cluster <by>', 'pictures: group nodes by file, by directory, or not').choices(['file', 'dir', 'none']).default('file'))
    .addOption(new Option('--rankdir <dir>', 'pictures: layout direction, top to bottom or left to right').choices(['TB', 'LR']).default('TB'))
    .option('--source-url <template>', 'pictures: link nodes and edges to this URL, {file} (required) and {line} substituted (e.g. https://elixir.bootlin.com/linux/v6.1/source/{file}#L{line}); characters a URL cannot hold must be percent-encoded')
    .option('--built-only', 'leave out functions of files Kbuild does not build with the configuration, and pointer calls bound only in such files')
    .option('--max-nodes <n>', 'pictures of callees and callers: most function nodes shown; the rest is summarised', positiveInt, DEFAULT_MAX_NODES)
    .option('--exclude <pattern>', 'callees and callers (trees and pictures): leave out functions matching PATTERN, with what is below them (* and ? wildcards; repeatable)', collect, [])
    .option('--no-default-excludes', "pictures of callees and callers: also show what the profile leaves out by default (Linux: printk, pr_*, WARN*, lockdep_*, might_sleep, likely, trace_*...)")
    .addOption(new Option('--theme <theme>', 'svg, html and mermaid: colours for light or dark pages, or both by prefers-color-scheme (dot: only dark changes it)').choices(['light', 'dark', 'auto']).default('auto'));
}

/** pathfind's version, read from its package.json at run time (the same path from src/cli and dist/cli). */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}

/**
 * A commander error message as the one line pathfind prints: `error: ` becomes `pathfind: `
 * and a suggestion on its own line (`(Did you mean --depth?)`) joins the message.
 */
export function oneLineError(message: string): string {
  const text = message
    .trim()
    .replace(/^error: /, '')
    .replace(/\s*\n\s*\(Did you mean (.*)\)$/s, ' (did you mean $1)')
    .replace(/\s*\n\s*/g, ' ');
  return `pathfind: ${text}\n`;
}

/**
 * The pathfind command line. Parse errors of the program and of every subcommand throw a
 * CommanderError (exitOverride, set before the subcommands are added so that they inherit it)
 * after printing one line on stderr; the caller maps them to exit code 2.
 */
export function buildProgram(actions: Actions): Command {
  const program = new Command('pathfind')
    .exitOverride()
    .configureOutput({ outputError: (message, write) => write(oneLineError(subcommandOptionError(program, message) ?? message)) })
    .version(packageVersion(), '-V, --version', 'print the version of pathfind')
    .description('Trace call paths through a large C tree (the Linux kernel first), through function pointers too.')
    .enablePositionalOptions()
    .showSuggestionAfterError()
    .argument('[paths...]', 'limit the files indexed to these paths (like git grep -- PATHS)')
    .option('-s, --start <fn>', 'function the paths start from', functionName)
    .option('-t, --target <fn>', 'function the paths lead to', functionName)
    .option('-k <n>', 'number of shortest distinct paths', positiveInt, 1)
    .option('--max-depth <n>', 'longest path, in calls', positiveInt)
    .option('--via <fn>', 'pass through this function (repeatable, in order)', collectFunction, [])
    .option('--avoid <fn>', 'never pass through this function (repeatable)', collectFunction, [])
    .addOption(new Option('--distinct-by <what>', 'with -k N (N > 1): dispatch = the paths go through different targets of their first pointer call').choices(['dispatch']))

    .option('--deferred', 'let paths cross deferred hops (softirq, tasklet, workqueue, RCU, IRQ) even when a synchronous path exists')
    .option('--no-deferred', 'never cross a deferred hop, even when the synchronous path is a long detour or there is none');
  pictures(common(program)).action((paths: string[], options: PathOptions, cmd: Command) => actions.paths(paths, jsonAsFormat({ ...options, written: writtenOptions(cmd) })));

  for (const direction of ['callees', 'callers'] as const) {
    pictures(common(
      program
        .command(direction)
        .description(direction === 'callees' ? 'the tree of functions FN calls, like cflow, with the pointer calls of each that bound no target' : 'the tree of functions that call FN')
        .argument('<fn>', 'function name, or path:name to pick one of several')
        .argument('[paths...]', 'limit the files indexed to these paths')
        .option('-d, --depth <n>', 'levels of the tree', positiveInt, 3),
    )).action((fn: string, paths: string[], _o: unknown, cmd: Command) => actions.tree(direction, fn, paths, mergedOptions<TreeOptions>(cmd)));
  }

  common(program.command('stats').description('counts of files, functions, call sites and how they resolved').argument('[paths...]', 'limit the files indexed to these paths'))
    .action((paths: string[], _o: unknown, cmd: Command) => actions.stats(paths, mergedOptions<CommonOptions>(cmd)));
  common(program.command('index').description('index the tree again (refreshing the cache) and print its stats').argument('[paths...]', 'limit the files indexed to these paths'))
    .option('--export <file>', 'also write the index to FILE, one portable file that --index FILE queries with no tree')
    .action((paths: string[], _o: unknown, cmd: Command) => actions.index(paths, mergedOptions<CommonOptions & { export?: string }>(cmd)));
  common(
    program
      .command('explain')
      .description('why CALLER calls CALLEE (both required): every call site and what binds it; when there is none, how CALLER still calls it (through its own parameter, bound at its callers, through macros only, or through static functions and tail-calling wrappers a stack trace may not show), else the pointer calls in CALLER left unresolved, and where CALLER hands CALLEE over to the function that calls it (a registration)')
      .argument('<caller>', 'calling function')
      .argument('<callee>', 'called function')
      .argument('[paths...]', 'limit the files indexed to these paths'),
  ).action((caller: string, callee: string, paths: string[], _o: unknown, cmd: Command) => actions.explain(caller, callee, paths, mergedOptions<CommonOptions>(cmd)));
  common(
    program
      .command('check')
      .description('check the call chains written in documents (Markdown, reStructuredText, text, Graphviz) against the tree; exit 1 when one is broken')
      .argument('<docs...>', 'documents, or folders searched for .md .rst .txt .log .dot .gv files (paths relative to the current directory); - reads standard input as text'),
    new Option('--format <format>', 'report format: compiler-style text, json, github (workflow annotations) or sarif (2.1.0)').choices([...CHECK_FORMATS]).default('text'),
  )
    .option('--max-gap <n>', 'a step may skip up to N functions, macros not counted (reported as a note)', nonNegativeInt, 0)
    .option('--strict', 'warnings (a file:line that does not match) are errors')
    .option('--allow-empty', 'pass when the documents hold no call chain (by default an input error, exit 2)')
    .option('--repo-root <dir>', 'sarif: document URIs are relative to this folder (default: the current directory)')
    .option('--limit <path>', 'limit the files indexed to this path of the tree (repeatable), as the paths of other commands do', collect, [])
    .action((docs: string[], _o: unknown, cmd: Command) => actions.check(docs, mergedOptions<CheckOptions>(cmd)));
  for (const cmd of program.commands) {
    cmd.configureOutput({ outputError: (message, write) => write(oneLineError(foreignOptionError(program, cmd, message) ?? message)) });
  }
  rejectRepeatedOptions(program, (o) => o.parseArg === collect || o.parseArg === collectFunction || o.variadic);
  return program;
}

/**
 * For commander's `unknown option '--via'` from subcommand `cmd`, when the option is one of the
 * program's that `cmd` does not take: the message mergedOptions gives for it written before the
 * subcommand (`option '--via' does not apply to callees (see ...)`). Null for any other message.
 * A written value (`--start=f`, `-ox.svg`) is left out of the name.
 */
function foreignOptionError(program: Command, cmd: Command, message: string): string | null {
  const flag = unknownOptionFlag(message);
  if (flag === null) return null;
  if (!program.options.some((o) => o.long === flag || o.short === flag) || cmd.options.some((o) => o.long === flag || o.short === flag)) return null;
  return `option '${flag}' does not apply to ${cmd.name()} (see 'pathfind ${cmd.name()} --help')`;
}

/**
 * For commander's `unknown option '--depth'` from the program itself (a path query, or an option
 * written before a subcommand's name): when subcommands take the option, which do, and for
 * --depth the path query's own limit (--max-depth): `unknown option '--depth' (callees and callers
 * take it, after their names; a path query's limit is --max-depth)`. Null for any other message,
 * or an option no subcommand takes.
 */
function subcommandOptionError(program: Command, message: string): string | null {
  const flag = unknownOptionFlag(message);
  if (flag === null) return null;
  const takers = program.commands.filter((c) => c.options.some((o) => o.long === flag || o.short === flag)).map((c) => c.name());
  if (takers.length === 0) return null;
  const who = takers.length === 1 ? takers[0]! : `${takers.slice(0, -1).join(', ')} and ${takers.at(-1)!}`;
  const own = flag === '--depth' ? "; a path query's limit is --max-depth" : '';
  return `error: unknown option '${flag}' (${who} take${takers.length === 1 ? 's' : ''} it, after ${takers.length === 1 ? 'its name' : 'their names'}${own})`;
}

/** The option commander's `unknown option '...'` message names, without a written value (`--start=f`, `-ox.svg`); null for any other message. */
function unknownOptionFlag(message: string): string | null {
  const written = /^error: unknown option '([^']*)'/.exec(message.trim())?.[1];
  if (written === undefined) return null;
  return written.startsWith('--') ? written.replace(/=.*$/s, '') : written.slice(0, 2);
}

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}
