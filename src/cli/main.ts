import { existsSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { computeStats, statsOpening } from '../api/stats.js';
import { openTreeReport } from '../api/open-tree.js';
import { noPathHint } from '../api/no-path-hint.js';
import { repeatedStepsNote } from './path-notes.js';
import type { KeptBeside } from '../cache/open-index.js';
import { count, PhaseClock } from '../cache/phase-clock.js';
import { settleWrites } from '../cache/write-behind.js';
import { exportIndex, openIndexExport } from '../api/export-index.js';
import type { Project } from '../api/project.js';
import type { UnreadableFile } from '../types/facts.js';
import type { PathsResult, TreeResult } from '../types/results.js';
import { explainEdge } from '../api/explain.js';
import { builtOnlyTreeNotes, configSourceOf, unbuiltNames } from '../api/built-only.js';
import { markInactiveRoots } from '../api/unbuilt.js';
import { treeExcludeNotes } from './option-notes.js';
import { pathsPicture, treesPicture, unmatchedExcludes } from '../api/picture.js';
import { type Format, formatOfFile, isPictureFormat, loadRenderer, type PictureOutput, type PictureRenderer } from '../render/formats.js';
import { renderExplainJson, renderPathsJson, renderStatsJson, renderTreeJson } from '../render/json.js';
import { renderExplainText, renderPathsText, renderStatsText, renderTreeText } from '../render/text.js';
import { EXIT_FOUND, EXIT_NOT_FOUND, EXIT_USAGE, NotFoundError, UsageError } from '../util/errors.js';
import { exitCodeOf } from './exit-code.js';
import { closestNames } from '../util/did-you-mean.js';
import { fromScratchElsewhere, inFullElsewhere, inFullReason, inLargerYoungGeneration } from './young-generation.js';
import { checkPictureOptions, fewerPathsNote, ignoredOptionNotes, unmatchedExcludeNote } from './option-notes.js';
import { noCallersNotes, noteNames, noteSeveralDefinitions } from './name-notes.js';
import { progressReporter } from './progress.js';
import { type Actions, buildProgram, type CommonOptions, type PictureCliOptions } from './program.js';

const useColor = (): boolean => !!process.stdout.isTTY && !process.env.NO_COLOR && process.env.TERM !== 'dumb';

/** `3 files could not be read`, `1 file and 1 folder could not be read`. */
export function unreadableNote(unreadable: UnreadableFile[]): string {
  const folders = unreadable.filter((f) => f.path.endsWith('/')).length;
  const files = unreadable.length - folders;
  const count = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;
  const what = [files ? count(files, 'file') : '', folders ? count(folders, 'folder') : ''].filter(Boolean).join(' and ');
  return `${what} could not be read; see pathfind stats`;
}

/** Set once the tree is open under --verbose: times what follows (the query and its output). */
let queryClock: PhaseClock | null = null;

/** The project opened under --verbose, to say how the query made its call graphs (Project.graphsMade). */
let queried: Project | null = null;

/**
 * How the call graphs the query used were made, for its --verbose line: `, call graph from kept
 * rows`, `, 2 call graphs folded from every edge` (each way once), or ''.
 */
function graphsNote(): string {
  const made = queried?.graphsMade() ?? [];
  const how = { rows: 'from kept rows', derived: 'derived from the cached graph\'s', folded: 'folded from every edge', 'on demand': 'made on demand' };
  const rows = (m: { how: string; rows: number }): string => (m.how === 'on demand' ? ` (${count(m.rows)} row${m.rows === 1 ? '' : 's'})` : '');
  const ways = [...new Set(made.map((m) => `${how[m.how]}${rows(m)}`))];
  const graphs = made.length === 1 ? 'call graph' : ways.length === 1 ? `${made.length} call graphs` : 'call graphs';
  const kept = queried?.searchesKept ? ', the paths found ahead on the cached graph hold on the patched one' : '';
  return `${made.length ? `, ${graphs} ${ways.join(', ')}` : ''}${kept}`;
}

/** One --verbose line on stderr, after any progress line is cleared. */
function verbose(message: string, progress?: { done: () => void }): void {
  progress?.done();
  process.stderr.write(`pathfind: ${message}\n`);
}

/** How a command opens the tree: see openWithReport. */
interface OpenExtra {
  facts?: boolean | 'lazy';
  /** Resolve in this process when the cached graph cannot be patched: the command read its standard input, which a second process could not read again. */
  here?: boolean;
  refresh?: boolean;
  listsUnreadable?: boolean;
  /** With an empty index the command has nothing to do: a usage error saying what it could not (`check the documents against`), not a note. */
  emptyIsError?: string;
  prepare?: (project: Project, kept: KeptBeside) => void;
  ahead?: (project: Project) => void;
  /** See OpenOptions.needsFacts. */
  needsFacts?: () => boolean;
}

/**
 * Opens the tree through the cache; `facts` when the command needs call details. Files that
 * could not be read are noted on stderr in one line, unless `listsUnreadable` (the command's output lists them).
 */
async function openWithReport(paths: string[], options: CommonOptions, extra: OpenExtra = {}) {
  const { listsUnreadable, emptyIsError, prepare, ahead, here, ...want } = extra;
  const progress = options.quiet ? undefined : progressReporter(process.stderr);
  try {
    const opened = await openTreeReport({
      root: options.root,
      ...(paths.length ? { paths } : {}),
      ...(options.arch ? { arch: options.arch } : {}),
      ...(options.config !== undefined ? { config: options.config } : {}),
      jobs: options.jobs ?? availableParallelism(),
      extractor: options.parser,
      cache: options.cache === false ? false : (options.cache ?? true),
      // A patched graph is written while the query runs (the process ends once it is written).
      writeBehind: true,
      // A tree to resolve in full (its cached graph not patched) is resolved in a second process (young-generation.ts), which is told why.
      ...(here ? {} : inFullElsewhere(commandLine)),
      ...want,
      ...(progress ? { onProgress: progress.update } : {}),
      ...(options.verbose ? { onTrace: (message: string) => verbose(message, progress) } : {}),
      onNote: (message) => {
        progress?.done();
        process.stderr.write(`pathfind: ${message}\n`);
      },
    }, prepare, ahead);
    treeOpened = true;
    progress?.done();
    if (options.verbose) {
      queryClock = new PhaseClock((message) => verbose(message));
      queried = opened.project;
    }
    if (opened.report.unreadable.length && !listsUnreadable) process.stderr.write(`pathfind: ${unreadableNote(opened.report.unreadable)}\n`);
    // An empty index answers every query with nothing: say so once, since a wrong -C or path limit is the likely cause.
    if (opened.project.index.fileCount === 0) {
      const where = `under ${options.root ?? '.'}${paths.length ? ` (path limits: ${paths.join(' ')})` : ''}`;
      if (emptyIsError) throw new UsageError(`no C file (.c or .h) is indexed ${where}: there is nothing to ${emptyIsError} (check -C and the path limits)`);
      process.stderr.write(`pathfind: no C file (.c or .h) is indexed ${where}: every answer is empty (check -C and the path limits)\n`);
    }
    return opened;
  } finally {
    progress?.done();
  }
}

/**
 * The project to query: from the index export of --index (no tree; -C, --arch and path limits
 * are usage errors), else the tree through the cache.
 */
async function open(paths: string[], options: CommonOptions, extra: OpenExtra = {}): Promise<Project> {
  if (options.index !== undefined) {
    const tree: string[] = (options.written ?? []).filter((key) => key === 'root' || key === 'arch' || key === 'config').map((key) => (key === 'root' ? '-C/--root' : `--${key}`));
    if (paths.length) tree.push(`path limits (${paths.join(' ')})`);
    if (tree.length) throw new UsageError(`--index queries an index export, not a tree: ${tree.join(', ')} cannot be given with it`);
    return openIndexExport(options.index).project;
  }
  return (await openWithReport(paths, options, extra)).project;
}

/** Whether the tree is open: a second process resolving it in full for the first (inFullReason) leaves the notes written before that to the first, which wrote them. */
let treeOpened = false;

/** Each line as a `pathfind: note: ` line on stderr. */
const note = (lines: string[]): void => {
  if (!treeOpened && inFullReason() !== undefined) return;
  for (const line of lines) process.stderr.write(`pathfind: note: ${line}\n`);
};

/** The output format: --format, else the extension of --output, else text. */
function formatOf(o: CommonOptions & Partial<PictureCliOptions>): Format {
  if (o.format) return o.format;
  if (o.output === undefined) return 'text';
  const format = formatOfFile(o.output);
  if (!format) throw new UsageError(`cannot tell the format of ${o.output} from its extension; give --format`);
  return format;
}

/** The note for an --output whose extension names another format than --format (`-o x.svg --format json`), if any: the file is written as asked. */
function outputFormatNote(o: CommonOptions & Partial<PictureCliOptions>): string[] {
  if (!o.format || o.output === undefined) return [];
  const implied = formatOfFile(o.output);
  return implied && implied !== o.format ? [`${o.output} is written in ${o.format} (--format), not the ${implied} its extension says`] : [];
}

/** stats, index and explain print text or JSON only. */
function textOrJson(o: CommonOptions, command: string): void {
  if (o.format && isPictureFormat(o.format)) throw new UsageError(`--format ${o.format} is for path, callees and callers queries, not ${command}`);
}

/** The picture renderer a command needs (loaded before indexing, so an unavailable format fails at once), or null for text and JSON. */
async function rendererFor(format: Format): Promise<PictureRenderer | null> {
  return isPictureFormat(format) ? loadRenderer(format) : null;
}

/** The command's output, to --output or stdout. */
function emit(o: Partial<PictureCliOptions>, text: string): void {
  if (o.output === undefined) {
    process.stdout.write(text);
    return;
  }
  try {
    writeFileSync(o.output, text);
  } catch (err) {
    throw new UsageError(`cannot write ${o.output}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message.split('\n')[0]}`);
  }
}

/**
 * A picture to --output or stdout, its note (if any) on stderr. When the layout fell back to DOT,
 * the DOT goes to the output file with its extension made `.dot` (a .svg or .html file holding
 * DOT would mislead), and the note says where it went.
 */
function emitPicture(o: Partial<PictureCliOptions>, out: PictureOutput): void {
  let target = o.output;
  if (out.fallback === 'dot' && target !== undefined) target = target.replace(/(\.[^./\\]+)?$/, '.dot');
  if (out.note) process.stderr.write(`pathfind: note: ${out.note}${target !== undefined && target !== o.output ? ` (${target})` : ''}\n`);
  emit({ ...o, ...(target !== undefined ? { output: target } : {}) }, out.text);
}

const pictureOptions = (o: PictureCliOptions) => ({ rankdir: o.rankdir, theme: o.theme, ...(o.sourceUrl !== undefined ? { sourceUrl: o.sourceUrl } : {}) });
const pictureQuery = (o: PictureCliOptions) => ({ cluster: o.cluster, maxNodes: o.maxNodes, exclude: o.exclude, defaultExcludes: o.defaultExcludes });

/** The end of a --built-only path query's no-path error: ` through code built with CONFIG (--built-only)`, and which of `names` (start, target) is not built at all. */
function builtOnlyNoPath(project: Project, names: string[]): string {
  const config = configSourceOf(project.index);
  const unbuilt = unbuiltNames(project.index, names.map((name) => ({ name, nodes: project.nodes(name) })));
  return ` through code built${config ? ` with ${config}` : ''} (--built-only)${unbuilt.length ? `: ${unbuilt.join(' and ')} ${unbuilt.length === 1 ? 'is' : 'are'} not built` : ''}`;
}

/** pathfind's subcommands, for the did-you-mean of a misspelt one. */
const COMMANDS = ['callees', 'callers', 'explain', 'stats', 'index', 'check'];

/**
 * The error for a first positional argument that is neither a command nor a path under the root
 * (with no -s/-t given, it cannot be a path limit of a path query): an unknown command, with the closest ones.
 */
function unknownCommand(word: string): UsageError {
  const close = closestNames(word, COMMANDS);
  const hint = close.length ? `did you mean ${close.join(', ')}?` : `commands: ${COMMANDS.join(', ')}, or -s START -t TARGET; see 'pathfind --help'`;
  return new UsageError(`unknown command '${word}' (${hint})`);
}

const filter = (o: CommonOptions & { builtOnly?: boolean }) => ({ noIndirect: !o.indirect, ...(o.minConfidence ? { minConfidence: o.minConfidence } : {}), ...(o.builtOnly ? { builtOnly: true } : {}) });

const actions: Actions = {
  async paths(paths, o) {
    if (!o.start && !o.target && paths.length && !existsSync(resolve(o.root, paths[0]!))) throw unknownCommand(paths[0]!);
    if (!o.start || !o.target) {
      const missing = [o.start ? '' : '-s/--start', o.target ? '' : '-t/--target'].filter(Boolean).join(' and ');
      throw new UsageError(`missing ${missing}: a path query needs a start and a target (see 'pathfind --help')`);
    }
    if (o.start === o.target) throw new UsageError(`-s and -t name the same function (${o.start}): a path query needs two; 'callees ${o.start}' or 'callers ${o.start}' shows its neighbours`);
    // A function both required and avoided (the start, the target or a --via) makes every query empty: a contradiction, not an answer.
    const required = [o.start, o.target, ...(o.via ?? [])];
    const clash = (o.avoid ?? []).find((a) => required.includes(a));
    if (clash !== undefined) throw new UsageError(`--avoid ${clash} contradicts ${clash === o.start ? '-s' : clash === o.target ? '-t' : '--via'} ${clash}: a path cannot both pass through and avoid it`);
    const format = formatOf(o);
    checkPictureOptions(o);
    const renderer = await rendererFor(format);
    note([...outputFormatNote(o), ...ignoredOptionNotes('paths', format, o)]);
    if (o.distinctBy && o.k === 1) note([`--distinct-by ${o.distinctBy} chooses among several paths; with -k 1${o.written?.includes('k') ? '' : ' (the default)'} it has no effect`]);
    const query = { start: o.start, target: o.target, k: o.k, via: o.via, avoid: o.avoid, ...(o.distinctBy ? { distinctBy: o.distinctBy } : {}), ...(o.maxDepth ? { maxDepth: o.maxDepth } : {}), ...(o.deferred === true ? { deferred: true } : o.deferred === false ? { synchronousOnly: true } : { deferredWhenShorter: true }), ...filter(o) };
    // The call graph the search starts with is built while the tree is listed (synchronous edges first: Project.findPaths), and the paths found meanwhile.
    // Answered ahead with no path, the start's facts name the calls that may be the missing step (noPathHint): read on demand then only.
    let factsNeeded = false;
    const ahead = (p: Project): void => {
      const found = p.answerAhead({ paths: query }) as PathsResult | undefined;
      factsNeeded = found !== undefined && found.paths.length === 0;
    };
    const project = await open(paths, o, { facts: 'lazy', needsFacts: () => factsNeeded, prepare: (p) => void p.graph({ ...filter(o), noDeferred: !o.deferred }), ahead });
    noteNames(project, [o.start, o.target], paths);
    const result = project.findPaths(query);
    if (result.paths.length === 0) {
      const how = [
        o.via.length ? ` via ${o.via.join(', ')}` : '',
        o.avoid.length ? ` avoiding ${o.avoid.join(', ')}` : '',
        o.maxDepth ? ` within ${o.maxDepth} call${o.maxDepth === 1 ? '' : 's'}` : '',
        !o.indirect ? ' through direct calls and macros only (--no-indirect)' : o.minConfidence ? ` through edges of kind ${o.minConfidence} or stronger (--min-confidence)` : '',
        o.builtOnly ? builtOnlyNoPath(project, [o.start, o.target]) : '',
      ].join('');
      // JSON readers get a document either way: an empty list of paths (the exit code says 1).
      if (format === 'json') emit(o, renderPathsJson(result));
      throw new NotFoundError(`no ${o.deferred === false ? 'synchronous ' : ''}call path from ${o.start} to ${o.target}${how}${o.deferred === false ? ' (--no-deferred)' : ''}${noPathHint(project, o.start, o.target, filter(o))}`);
    }
    noteSeveralDefinitions(project, o.start, o.target, result.paths[0]);
    const repeated = repeatedStepsNote(result, o.via);
    if (repeated) note([repeated]);
    if (format === 'text' && result.paths.length < o.k) process.stderr.write(`pathfind: ${fewerPathsNote(result.paths, o.k, o.distinctBy)}\n`);
    if (renderer) emitPicture(o, await renderer(pathsPicture(project, result, { ...pictureQuery(o), via: o.via, ...(o.builtOnly ? { builtOnly: configSourceOf(project.index) ?? '' } : {}) }), pictureOptions(o)));
    else emit(o, format === 'json' ? renderPathsJson(result) : renderPathsText(result, { color: !o.output && useColor() }));
  },
  async tree(direction, fn, paths, o) {
    const format = formatOf(o);
    checkPictureOptions(o);
    const renderer = await rendererFor(format);
    note([...outputFormatNote(o), ...ignoredOptionNotes('tree', format, o)]);
    // A picture asks one level more, to mark the nodes with calls past --depth.
    const depth = renderer ? o.depth + 1 : o.depth;
    // A callees tree in text or JSON lists unresolved pointer calls, and the roots of a name defined more than once say which
    // one the configuration leaves out (markInactiveRoots): the facts of the files they need are read on demand.
    const listsUnresolved = direction === 'callees' && o.indirect;
    const facts = !renderer ? { facts: 'lazy' as const } : {};
    // Answered ahead on the graph as stored, a tree of one root whose functions have no unbound pointer call spares opening the facts (Project.needsFacts).
    let factsNeeded = true;
    // --exclude in text and JSON: the tree leaves those functions out (pictures leave them out as they draw).
    // A picture's extra level only marks cut nodes: what --built-only leaves out there is not counted.
    const treeFilter = { ...filter(o), ...(!renderer && o.exclude.length ? { exclude: o.exclude } : {}), ...(renderer ? { countedLevels: o.depth } : {}) };
    const ahead = (p: Project): void => {
      const trees = p.answerAhead({ tree: [fn, depth, direction, treeFilter] }) as TreeResult[] | undefined;
      if (trees && 'facts' in facts) factsNeeded = trees.length > 1 || (listsUnresolved && p.needsFacts(trees));
    };
    const project = await open(paths, o, { ...facts, needsFacts: () => factsNeeded, prepare: (p) => void (direction === 'callers' ? p.graph(filter(o)).inStart : ((p.rowsOnDemand = true), p.graph(filter(o)))), ahead });
    // A callees tree reads a few rows of the call graph: they are made on demand (Project.rowsOnDemand), on the graph prepared or not.
    if (direction === 'callees') project.rowsOnDemand = true;
    const trees = project.tree(fn, depth, direction, treeFilter);
    if ('facts' in facts && listsUnresolved) project.withUnresolved(trees);
    if (trees.length > 1) markInactiveRoots(project.index, project.nodes(fn), trees);
    noteNames(project, [fn], paths);
    if (direction === 'callers') note(noCallersNotes(project, trees, fn));
    note(builtOnlyTreeNotes(project.index, trees, o.builtOnly === true, format === 'text'));
    if (renderer) note(unmatchedExcludeNote(unmatchedExcludes(trees, o.exclude, o.depth)));
    else note(treeExcludeNotes(trees, o.exclude));
    if (renderer) emitPicture(o, await renderer(treesPicture(project, trees, direction, { ...pictureQuery(o), depth: o.depth }), pictureOptions(o)));
    else emit(o, format === 'json' ? renderTreeJson(trees) : renderTreeText(trees, { color: !o.output && useColor() }));
  },
  async explain(caller, callee, paths, o) {
    textOrJson(o, 'explain');
    // Facts read on demand: explain needs the callers' files alone.
    const project = await open(paths, o, { facts: 'lazy' });
    const x = explainEdge(project, caller, callee);
    noteNames(project, [caller, callee], paths);
    process.stdout.write(o.format === 'json' ? renderExplainJson(x) : renderExplainText(x, { color: useColor() }));
    if (x.edges.length === 0 && x.throughParameter.length === 0 && x.throughMacros.length === 0 && x.throughInlined.length === 0) process.exitCode = EXIT_NOT_FOUND;
  },
  async stats(paths, o) {
    textOrJson(o, 'stats');
    // A tree's stats are kept beside its graph cache while it is unchanged, and read then without opening the facts (api/stats.ts statsOpening); an index export's are counted.
    const opening = statsOpening();
    const want = { facts: 'lazy', listsUnreadable: true, needsFacts: opening.needsFacts, prepare: opening.prepare } as const;
    const opened = o.index === undefined ? await openWithReport(paths, o, want) : { project: await open(paths, o, want), report: undefined };
    const stats = opening.stats(opened.project, opened.report?.kept);
    process.stdout.write(o.format === 'json' ? renderStatsJson(stats) : renderStatsText(stats));
  },
  async index(paths, o) {
    textOrJson(o, 'index');
    if (o.index !== undefined) throw new UsageError("index reads a tree; --index FILE is for queries (make FILE with 'pathfind index --export FILE')");
    // A cold index runs in a node process with a larger young generation (cli/young-generation.ts).
    const code = await inLargerYoungGeneration(commandLine);
    if (code !== null) return void (process.exitCode = code);
    const started = Date.now();
    const { project, report } = await openWithReport(paths, o, { facts: true, refresh: true, listsUnreadable: true });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (o.export !== undefined) exportIndex(project, o.export, { ...(o.arch ? { arch: o.arch } : {}), paths, extractor: o.parser });
    const stats = computeStats(project);
    if (o.format === 'json') process.stdout.write(renderStatsJson(stats));
    else process.stdout.write(`indexed ${count(report.parsed)} files in ${seconds}s\n${renderStatsText(stats)}${o.export !== undefined ? `exported the index to ${o.export}\n` : ''}`);
  },
  async check(docs, o) {
    // Loaded here: the document readers (and graphlib-dot) cost every other command's start-up nothing.
    const { runCheck } = await import('./check-command.js');
    const code = await runCheck(docs, o, (stdinRead) => open(o.limit, { ...o, format: 'text' }, { emptyIsError: 'check the documents against', facts: 'lazy', here: stdinRead }), (text) => process.stdout.write(text));
    if (code !== EXIT_FOUND) process.exitCode = code;
  },
};

let pipesWatched = false;

/**
 * A reader that closes the pipe early (`pathfind ... | head -1`) is not an error: on EPIPE from
 * stdout the process ends at once, quietly, with exit 0, whatever the command and format. A
 * closed stderr is ignored (notes are lost, the answer still goes to stdout). Any other write
 * error of stdout is one line on stderr and exit 2. Installed once per process.
 */
export function watchOutputPipes(): void {
  if (pipesWatched) return;
  pipesWatched = true;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    // A patched graph being written in a worker thread is finished first (cache/write-behind.ts): ending at once would cut it short.
    settleWrites();
    if (err.code === 'EPIPE') process.exit(EXIT_FOUND);
    process.stderr.write(`pathfind: cannot write the output: ${err.message.split('\n')[0]}\n`);
    process.exit(EXIT_USAGE);
  });
  process.stderr.on('error', () => {});
}

/** Runs the command line; returns the exit code. Errors become one line on stderr. */
/** The command line main was given (for `index`, which may run it again in a second process). */
let commandLine: readonly string[] = [];

export async function main(argv: string[]): Promise<number> {
  commandLine = argv;
  watchOutputPipes();
  const program = buildProgram(actions);
  // No arguments at all: the help, on stderr, as a usage error.
  if (argv.length <= 2) {
    process.stderr.write(program.helpInformation());
    return EXIT_USAGE;
  }
  try {
    // A tree indexed from scratch is indexed in a second node process, the whole command line run there (young-generation.ts).
    const elsewhere = await fromScratchElsewhere(argv);
    if (elsewhere !== null) return elsewhere;
    await program.parseAsync(argv);
    queryClock?.done('query', `and its output${graphsNote()}`);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT_FOUND;
  } catch (err) {
    const code = exitCodeOf(err);
    // A defined negative answer (no path): the query ran and answered, and -v times it as any other.
    if (code === EXIT_NOT_FOUND) queryClock?.done('query', `and its output${graphsNote()}`);
    return code;
  }
}
