import { appendFileSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Project } from '../api/project.js';
import { readDocument } from '../check/read-document.js';
import { reportGithub } from '../check/report-github.js';
import { reportJson } from '../check/report-json.js';
import { reportSarif } from '../check/report-sarif.js';
import { reportText } from '../check/report-text.js';
import { verifyClaims } from '../check/verify.js';
import { sureClaims } from '../check/verify-parts.js';
import type { Claim } from '../types/claims.js';
import { EXIT_FOUND, EXIT_NOT_FOUND, UsageError } from '../util/errors.js';
import { CHECK_FORMATS, type CheckOptions, packageVersion } from './program.js';

/** Extensions of the documents a folder given to `check` is searched for. */
export const DOCUMENT_EXTENSIONS = ['.md', '.rst', '.txt', '.log', '.dot', '.gv'];

/** The document name `-` reads standard input (a pasted oops: `pathfind check - < oops.txt`). */
const STDIN_ARG = '-';

/** How a report names the document read from standard input, as compilers do. */
export const STDIN_DOCUMENT = '<stdin>';

/**
 * The documents named on the command line, folders expanded: a file as given (whatever its
 * extension), a folder walked for DOCUMENT_EXTENSIONS files (in code-unit order, hidden entries
 * and node_modules skipped), `-` for standard input (read as text, named STDIN_DOCUMENT); paths
 * stay relative to the current directory as written.
 * Throws UsageError for a path that cannot be read or a folder with no document.
 */
export function documentsOf(args: readonly string[]): string[] {
  const out: string[] = [];
  for (const arg of args) {
    if (arg === STDIN_ARG) {
      out.push(STDIN_DOCUMENT);
      continue;
    }
    const stat = statOrFail(arg);
    if (!stat.isDirectory()) {
      // A file that happens to be named <stdin> is still that file.
      out.push(arg === STDIN_DOCUMENT ? `./${arg}` : arg);
      continue;
    }
    const found = walk(arg);
    if (!found.length) throw new UsageError(`no documents (${DOCUMENT_EXTENSIONS.join(' ')}) in ${arg}`);
    out.push(...found);
  }
  return [...new Set(out)];
}

function statOrFail(path: string) {
  try {
    return statSync(path);
  } catch (err) {
    throw new UsageError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

function walk(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    throw new UsageError(`cannot read ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const names = entries.filter((e) => !e.name.startsWith('.') && e.name !== 'node_modules').sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return names.flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return walk(path);
    return e.isFile() && DOCUMENT_EXTENSIONS.some((x) => e.name.endsWith(x)) ? [path] : [];
  });
}

/** Every claim of every document; a document that cannot be read is a UsageError. */
export function readClaims(documents: readonly string[]): Claim[] {
  return documents.flatMap((doc) => {
    let text: string;
    try {
      // File descriptor 0: standard input, read to its end.
      text = readFileSync(doc === STDIN_DOCUMENT ? 0 : doc, 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read ${doc}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    return readDocument(doc, text);
  });
}

/**
 * The input error of a run whose documents hold no call chain (a document type check does not
 * read, a typo in a CI path, every block ignored): one line naming the documents (the first 3,
 * then how many more) and what check reads.
 */
export function noChainMessage(documents: readonly string[]): string {
  const named = documents.length > 3 ? `${documents.slice(0, 3).join(', ')} and ${documents.length - 3} more` : documents.join(', ');
  return `no call chain found in ${named} (check reads arrow chains, call trees, cflow output, stack traces and ftrace function_graph in text, Markdown and rST code blocks, and edges of .dot/.gv diagrams; sentences are not read, only chains written as such: \`a() -> b()\`; --allow-empty to pass)`;
}

/**
 * `pathfind check`: reads the documents (before indexing, so that a bad path fails at once),
 * opens the tree (`open`, told whether standard input was read), verifies the claims and writes the report; with `--format github` and
 * $GITHUB_STEP_SUMMARY naming a file, appends the step summary to it. Returns the exit code:
 * 0 when no error was found (notes and warnings allowed unless --strict), 1 otherwise.
 * Throws UsageError (exit 2) when the documents hold no call chain at all, unless `allowEmpty`.
 */
export async function runCheck(args: string[], o: CheckOptions, open: (stdinRead: boolean) => Promise<Project>, write: (text: string) => void): Promise<number> {
  if (!(CHECK_FORMATS as readonly string[]).includes(o.format)) throw new UsageError(`--format ${o.format} is not a report format of check (${CHECK_FORMATS.join(', ')})`);
  const documents = documentsOf(args);
  const claims = readClaims(documents);
  if (!claims.length && !o.allowEmpty) throw new UsageError(noChainMessage(documents));
  const project = await open(documents.includes(STDIN_DOCUMENT));
  const filter = { noIndirect: !o.indirect, ...(o.minConfidence ? { minConfidence: o.minConfidence } : {}) };
  // Chains that do not look like code count only when the tree defines their names: with none left, there was no chain.
  if (!o.allowEmpty && sureClaims(project, claims).length === 0) throw new UsageError(noChainMessage(documents));
  const result = verifyClaims(project, claims, documents, { maxGap: o.maxGap, ...(o.strict ? { strict: true } : {}), filter, ...(o.limit?.length ? { pathLimits: o.limit } : {}) });
  if (o.format === 'json') write(reportJson(result));
  else if (o.format === 'sarif') write(reportSarif(result, { version: packageVersion(), repoRoot: o.repoRoot ?? '.', cwd: process.cwd() }));
  else if (o.format === 'github') {
    const { output, summary } = reportGithub(result);
    write(output);
    const file = process.env.GITHUB_STEP_SUMMARY;
    if (file) {
      try {
        appendFileSync(file, summary);
      } catch (err) {
        throw new UsageError(`cannot write the step summary ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
    }
  } else write(reportText(result));
  return result.findings.some((f) => f.severity === 'error') ? EXIT_NOT_FOUND : EXIT_FOUND;
}
