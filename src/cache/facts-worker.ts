import { type MessagePort, parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { type FactsFile, type FrameOrder, writeOrderedFacts } from './facts-order.js';

/**
 * Worker thread: writes the facts file `workerData` describes (facts-order.ts writeOrderedFacts)
 * from the frames sent on `port` as they come (null ends them), and posts back the merged mention
 * table of its frames, transferred, or the error's message. Between frames it sleeps on `signal`
 * (a count of the messages sent, which facts-behind.ts raises after each), since the file is
 * written in one synchronous run that takes each frame off the port when it needs it.
 */
const { file, port, signal } = workerData as { file: FactsFile; port: MessagePort; signal: SharedArrayBuffer };
const sent = new Int32Array(signal);

function* frames(): Generator<FrameOrder> {
  let taken = 0;
  for (;;) {
    const got = receiveMessageOnPort(port);
    if (got === undefined) {
      Atomics.wait(sent, 0, taken);
      continue;
    }
    taken++;
    if (got.message === null) return;
    yield got.message as FrameOrder;
  }
}

try {
  const { hashes, counts } = writeOrderedFacts(file, frames());
  parentPort!.postMessage({ mentions: { hashes, counts } }, [hashes.buffer as ArrayBuffer, counts.buffer as ArrayBuffer]);
} catch (err) {
  parentPort!.postMessage({ error: (err as Error).message });
}
