import { parentPort, workerData } from 'node:worker_threads';

/**
 * Worker thread for `layoutSvg` (svg.ts): lays out the DOT text in `workerData.dot` with Graphviz
 * compiled to WebAssembly (@hpcc-js/wasm-graphviz, engine `dot`) and posts back `{ svg }`, or
 * `{ error }` with Graphviz's message when it rejects the input. Graphviz's layout call is
 * synchronous and can run for minutes or overflow the stack on dense graphs, which is why it runs
 * here: the main thread keeps the clock and terminates this thread when the time is up.
 */
const { dot } = workerData as { dot: string };
try {
  const { Graphviz } = await import('@hpcc-js/wasm-graphviz');
  const graphviz = await Graphviz.load();
  parentPort!.postMessage({ svg: graphviz.layout(dot, 'svg', 'dot') });
} catch (e) {
  parentPort!.postMessage({ error: e instanceof Error ? e.message : String(e) });
}
