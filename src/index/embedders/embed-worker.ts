/**
 * The embedding model on its own thread (see `thread.ts`). Requests that are waiting when the model becomes
 * free are embedded together: short queries in batches of up to QUERY_BATCH, which costs less per question
 * than one forward pass each, without making a lone question wait for company.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { EmbedKind, Embedder } from '../embedder.js';
import { loadEmbedder, type EmbeddingSettings } from './index.js';
import type { FromWorker, ToWorker } from './thread.js';

/** use-lite costs about 11 ms for one question, 8 ms each in a batch of 4–8, and more again past 16 (padding). */
const QUERY_BATCH = 8;

const port = parentPort!;
const send = (msg: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(msg, transfer);

let embedder: Embedder;
try {
  embedder = await loadEmbedder((workerData as { settings: EmbeddingSettings }).settings);
} catch (err) {
  send({ type: 'failed', message: (err as Error).message });
  process.exit(1);
}

const queue: { id: number; texts: string[]; kind: EmbedKind }[] = [];
let scheduled = false;

port.on('message', (msg: ToWorker) => {
  queue.push(msg);
  if (!scheduled) {
    scheduled = true;
    setImmediate(drain); // after every message already waiting has been queued
  }
});

async function drain(): Promise<void> {
  while (queue.length > 0) {
    // Consecutive query requests share one forward pass; anything else goes alone.
    const take = [queue.shift()!];
    if (take[0]!.kind === 'query') {
      let size = take[0]!.texts.length;
      while (queue[0]?.kind === 'query' && size + queue[0].texts.length <= QUERY_BATCH) {
        size += queue[0].texts.length;
        take.push(queue.shift()!);
      }
    }
    try {
      const vectors = await embedder.embed(
        take.flatMap((r) => r.texts),
        take[0]!.kind,
      );
      let at = 0;
      for (const r of take) {
        const mine = vectors.slice(at, (at += r.texts.length));
        send({ type: 'done', id: r.id, vectors: mine }, mine.map((v) => v.buffer as ArrayBuffer));
      }
    } catch (err) {
      for (const r of take) send({ type: 'error', id: r.id, message: (err as Error).message });
    }
    // Let messages that arrived during the pass join the queue before the next batch is cut.
    await new Promise((r) => setImmediate(r));
  }
  scheduled = false;
}

send({ type: 'ready', id: embedder.id, dimensions: embedder.dimensions });
