import { availableParallelism } from 'node:os';
import { CommanderError } from 'commander';
import { computeStats } from '../api/stats.js';
import { openTreeReport } from '../api/open-tree.js';
import type { Project } from '../api/project.js';
import type { UnreadableFile } from '../types/facts.js';
import { explainEdge } from '../api/explain.js';
import { renderExplainJson, renderPathsJson, renderStatsJson, renderTreeJson } from '../render/json.js';
import { renderExplainText, renderPathsText, renderStatsText, renderTreeText } from '../render/text.js';
import { EXIT_FOUND, EXIT_NOT_FOUND, EXIT_USAGE, NotFoundError, UsageError } from '../util/errors.js';
import { progressReporter } from './progress.js';
import { type Actions, buildProgram, type CommonOptions } from './program.js';

const useColor = (): boolean => !!process.stdout.isTTY && !process.env.NO_COLOR && process.env.TERM !== 'dumb';

/** `3 files could not be read`, `1 file and 1 folder could not be read`. */
export function unreadableNote(unreadable: UnreadableFile[]): string {
  const folders = unreadable.filter((f) => f.path.endsWith('/')).length;
  const files = unreadable.length - folders;
  const count = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;
  const what = [files ? count(files, 'file') : '', folders ? count(folders, 'folder') : ''].filter(Boolean).join(' and ');
  return `${what} could not be read; see pathfind stats`;
}

/**
 * Opens the tree through the cache; `facts` when the command needs call details. Files that
 * could not be read are noted on stderr in one line, unless `listsUnreadable` (the command's output lists them).
 */
async function openWithReport(paths: string[], options: CommonOptions, extra: { facts?: boolean | 'lazy'; refresh?: boolean; listsUnreadable?: boolean } = {}) {
  const { listsUnreadable, ...want } = extra;
  const progress = options.quiet ? undefined : progressReporter(process.stderr);
  try {
    const opened = await openTreeReport({
      root: options.root,
      ...(paths.length ? { paths } : {}),
      ...(options.arch ? { arch: options.arch } : {}),
      jobs: options.jobs ?? availableParallelism(),
      extractor: options.parser,
      cache: options.cache === false ? false : (options.cache ?? true),
      ...want,
      ...(progress ? { onProgress: progress.update } : {}),
      onNote: (message) => {
        progress?.done();
        process.stderr.write(`pathfind: ${message}\n`);
      },
    });
    progress?.done();
    if (opened.report.unreadable.length && !listsUnreadable) process.stderr.write(`pathfind: ${unreadableNote(opened.report.unreadable)}\n`);
    return opened;
  } finally {
    progress?.done();
  }
}

async function open(paths: string[], options: CommonOptions, extra: { facts?: boolean | 'lazy'; listsUnreadable?: boolean } = {}): Promise<Project> {
  return (await openWithReport(paths, options, extra)).project;
}

/**
 * One note on stderr when functions a query names (start, target, tree root, explain ends) are
 * external: called in the indexed files but defined in none, so nothing is known past them.
 */
function noteExternal(project: Project, names: string[], paths: string[]): void {
  const external = [...new Set(names)].filter((name) => project.nodes(name).some((n) => project.index.isExternal(n)));
  if (external.length === 0) return;
  const one = external.length === 1;
  const where = paths.length ? `${one ? 'its definition lies' : 'their definitions lie'} outside the paths given` : `${one ? 'it is' : 'they are'} assembly, generated code or in files not indexed`;
  process.stderr.write(`pathfind: note: ${external.join(', ')} ${one ? 'is' : 'are'} external: defined in none of the indexed files (${where})\n`);
}

const filter = (o: CommonOptions) => ({ noIndirect: !o.indirect, ...(o.minConfidence ? { minConfidence: o.minConfidence } : {}) });

const actions: Actions = {
  async paths(paths, o) {
    if (!o.start || !o.target) throw new UsageError("missing -s/--start or -t/--target (see 'pathfind --help')");
    const project = await open(paths, o);
    noteExternal(project, [o.start, o.target], paths);
    const result = project.findPaths({ start: o.start, target: o.target, k: o.k, via: o.via, avoid: o.avoid, ...(o.distinctBy ? { distinctBy: o.distinctBy } : {}), ...(o.maxDepth ? { maxDepth: o.maxDepth } : {}), ...(o.deferred ? { deferred: true } : {}), ...filter(o) });
    if (result.paths.length === 0) {
      const how = [o.via.length ? ` via ${o.via.join(', ')}` : '', o.avoid.length ? ` avoiding ${o.avoid.join(', ')}` : '', o.maxDepth ? ` within ${o.maxDepth} calls` : ''].join('');
      throw new NotFoundError(`no call path from ${o.start} to ${o.target}${how}`);
    }
    process.stdout.write(o.format === 'json' ? renderPathsJson(result) : renderPathsText(result, { color: useColor() }));
  },
  async tree(direction, fn, paths, o) {
    const project = await open(paths, o);
    const trees = project.tree(fn, o.depth, direction, filter(o));
    noteExternal(project, [fn], paths);
    process.stdout.write(o.format === 'json' ? renderTreeJson(trees) : renderTreeText(trees, { color: useColor() }));
  },
  async explain(caller, callee, paths, o) {
    // Facts read on demand: explain needs the callers' files alone.
    const project = await open(paths, o, { facts: 'lazy' });
    const x = explainEdge(project, caller, callee);
    noteExternal(project, [caller, callee], paths);
    process.stdout.write(o.format === 'json' ? renderExplainJson(x) : renderExplainText(x, { color: useColor() }));
    if (x.edges.length === 0) process.exitCode = EXIT_NOT_FOUND;
  },
  async stats(paths, o) {
    const project = await open(paths, o, { facts: 'lazy', listsUnreadable: true });
    const stats = computeStats(project);
    process.stdout.write(o.format === 'json' || o.json ? renderStatsJson(stats) : renderStatsText(stats));
  },
  async index(paths, o) {
    const started = Date.now();
    const { project, report } = await openWithReport(paths, o, { facts: true, refresh: true, listsUnreadable: true });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const stats = computeStats(project);
    if (o.format === 'json' || o.json) process.stdout.write(renderStatsJson(stats));
    else process.stdout.write(`indexed ${report.parsed} files in ${seconds}s\n${renderStatsText(stats)}`);
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
    if (err.code === 'EPIPE') process.exit(EXIT_FOUND);
    process.stderr.write(`pathfind: cannot write the output: ${err.message.split('\n')[0]}\n`);
    process.exit(EXIT_USAGE);
  });
  process.stderr.on('error', () => {});
}

/** Runs the command line; returns the exit code. Errors become one line on stderr. */
export async function main(argv: string[]): Promise<number> {
  watchOutputPipes();
  const program = buildProgram(actions);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT_FOUND;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help' ? EXIT_FOUND : EXIT_USAGE;
    }
    if (err instanceof UsageError || err instanceof NotFoundError) {
      process.stderr.write(`pathfind: ${err.message}\n`);
      return err instanceof UsageError ? EXIT_USAGE : EXIT_NOT_FOUND;
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`pathfind: internal error: ${message.split('\n')[0]}\n`);
    if (process.env.PATHFIND_DEBUG) console.error(err);
    return EXIT_USAGE;
  }
}
