import { workerScriptBeside } from '../util/worker-script.js';
import { Worker } from 'node:worker_threads';
import { finishSvg } from './svg-finish.js';
import type { SvgTheme } from './svg-theme.js';

/** Which DOT settings to lay out: Graphviz's defaults, or the bounded ones (`mclimit`, `nslimit`, `splines=line`, ...). */
export type DotLayout = 'default' | 'fast';

export interface SvgOptions {
  theme: SvgTheme;
  /**
   * Time allowed for the layout with default settings, in milliseconds, counted from the start of
   * the worker (starting it and loading the WebAssembly take 0.4 to 1 s on a busy 2-core machine).
   * Default 10,000. Measured (2026, Graphviz 16.1 in WebAssembly, 2 shared cores): real Linux 6.1
   * pictures of up to 350 nodes lay out in 0.6 to 3 s, so 10 s leaves room for a slower machine;
   * graphs that need more are the dense ones where default settings take minutes (a random
   * 300-node, 900-edge graph: over 300 s), so waiting longer seldom helps.
   */
  timeoutMs?: number;
  /**
   * Time allowed for the layout with fast settings, in milliseconds; default 10,000: enough for a
   * few hundred nodes (300 random nodes, 900 edges: 4 s; 300 real kernel callers: 1.2 s).
   */
  fastTimeoutMs?: number;
}

/** An SVG, with a note when it needed the fast settings; or the DOT, with a note saying why there is no SVG. */
export type SvgResult = { svg: string; note?: string } | { dot: string; note: string };

const DEFAULT_TIMEOUT_MS = 10_000;

/** How one layout attempt ended. */
type Attempt = { svg: string } | { failed: string };

/**
 * Lays out `dotFor('default')` with Graphviz in WebAssembly and returns the finished SVG
 * (deterministic, transparent background, themed: see finishSvg). The layout runs in a worker
 * thread with a time limit; past `timeoutMs`, or if the worker crashes (stack overflow, out of
 * memory) or Graphviz rejects the DOT, the worker is terminated and `dotFor('fast')` is laid out
 * within `fastTimeoutMs`; past that, the result is `dotFor('default')` itself with a one-line note.
 * Never rejects for a layout failure; rejects only when the worker script cannot be found (the
 * package is not built). Graphviz is loaded only here, inside the worker, so importing this module
 * costs nothing.
 */
export async function layoutSvg(dotFor: (layout: DotLayout) => string, options: SvgOptions): Promise<SvgResult> {
  const limit = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const fastLimit = options.fastTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const dot = dotFor('default');
  const first = await layoutInWorker(dot, limit);
  if ('svg' in first) return { svg: finishSvg(first.svg, options.theme) };
  const fast = await layoutInWorker(dotFor('fast'), fastLimit);
  if ('svg' in fast) return { svg: finishSvg(fast.svg, options.theme), note: `default layout ${first.failed}; used fast layout settings` };
  const why = first.failed === fast.failed ? `${first.failed} even with fast settings` : `${first.failed}, and ${fast.failed} with fast settings`;
  return { dot, note: `layout ${why}; wrote DOT instead` };
}

/** Seconds for a note: `10 s`, `0.5 s`. */
function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(ms < 1000 ? 2 : 1))} s`;
}

/** Runs one layout in a fresh worker; resolves (never rejects for a layout failure) with the SVG or why there is none. */
async function layoutInWorker(dot: string, limitMs: number): Promise<Attempt> {
  const worker = new Worker(workerScript(), { workerData: { dot }, stdout: true, stderr: true });
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise<Attempt>((resolve) => {
      timer = setTimeout(() => resolve({ failed: `took longer than ${seconds(limitMs)}` }), limitMs);
      worker.once('message', (m: { svg?: string; error?: string }) =>
        resolve(m.svg !== undefined ? { svg: m.svg } : { failed: `failed (${firstLine(m.error ?? 'no output')})` }),
      );
      worker.once('error', (e) => resolve({ failed: `crashed (${firstLine(e.message)})` }));
      worker.once('exit', (code) => resolve({ failed: `crashed (worker exited with code ${code})` }));
    });
  } finally {
    clearTimeout(timer);
    await worker.terminate();
  }
}

/** The first line of a message, trimmed and kept short, for a one-line note. */
function firstLine(message: string): string {
  const line = message.trim().split('\n')[0]!.trim();
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}

/** The compiled worker script; when running from TypeScript sources (tests), the built copy in dist/. */
function workerScript(): URL {
  const script = workerScriptBeside('svg-worker.js', import.meta.url);
  if (script) return script;
  throw new Error('the SVG layout worker (dist/render/svg-worker.js) is missing: run npm run build');
}
