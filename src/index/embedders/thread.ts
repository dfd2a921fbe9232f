/**
 * Runs the embedding model on a worker thread. The model's forward pass is CPU work that would otherwise
 * hold the event loop (and with it the gateway, acknowledgements and every other answer); on its own thread
 * it uses a second core. The bot uses this; the CLI tools embed on the main thread.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { EmbedderLoadError, type ClosableEmbedder, type EmbedKind } from '../embedder.js';
import type { EmbeddingSettings } from './index.js';

export type ToWorker = { id: number; texts: string[]; kind: EmbedKind };
export type FromWorker =
  | { type: 'ready'; id: string; dimensions: number }
  | { type: 'failed'; message: string }
  | { type: 'done'; id: number; vectors: Float32Array[] }
  | { type: 'error'; id: number; message: string };

/**
 * TypeScript runs through tsx, whose module hooks a worker does not inherit: the worker starts from a
 * small ES module that registers tsx's loader, then imports the TypeScript entry.
 */
function workerSource(): URL {
  const tsxApi = new URL('dist/esm/api/index.mjs', pathToFileURL(createRequire(import.meta.url).resolve('tsx/package.json'))).href;
  const entry = new URL('./embed-worker.ts', import.meta.url).href;
  const code = `const { register } = await import(${JSON.stringify(tsxApi)}); register(); await import(${JSON.stringify(entry)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

interface Running {
  worker: Worker;
  pending: Map<number, { resolve(v: Float32Array[]): void; reject(e: Error): void }>;
  ready: Promise<{ id: string; dimensions: number }>;
}

function start(settings: EmbeddingSettings): Running {
  const worker = new Worker(workerSource(), { workerData: { settings } });
  const pending: Running['pending'] = new Map();
  const ready = new Promise<{ id: string; dimensions: number }>((resolve, reject) => {
    worker.on('message', (msg: FromWorker) => {
      if (msg.type === 'ready') resolve(msg);
      else if (msg.type === 'failed') reject(new EmbedderLoadError(msg.message));
      else if (msg.type === 'done') pending.get(msg.id)?.resolve(msg.vectors);
      else pending.get(msg.id)?.reject(new Error(`embedding failed: ${msg.message}`));
      if (msg.type === 'done' || msg.type === 'error') pending.delete(msg.id);
    });
    const fail = (err: Error) => {
      reject(err);
      for (const p of pending.values()) p.reject(err);
      pending.clear();
    };
    worker.on('error', (err) => fail(new Error(`the embedding thread failed: ${err.message}`)));
    worker.on('exit', (code) => fail(new Error(`the embedding thread exited (${code})`)));
  });
  return { worker, pending, ready };
}

/** Loads the configured model on a worker thread; resolves when it is ready (or fails like `loadEmbedder`). */
export async function loadEmbedderInThread(settings: EmbeddingSettings): Promise<ClosableEmbedder> {
  let running = start(settings);
  const { id, dimensions } = await running.ready;
  let seq = 0;
  let closed = false;
  return {
    id,
    dimensions,
    async embed(texts, kind) {
      if (closed) throw new Error('the embedding thread is closed');
      // A worker that died (out of memory, a crash in the model) is replaced on the next call.
      if (running.worker.threadId === -1) {
        running = start(settings);
        await running.ready;
      }
      const current = running;
      const msgId = ++seq;
      return new Promise<Float32Array[]>((resolve, reject) => {
        current.pending.set(msgId, { resolve, reject });
        current.worker.postMessage({ id: msgId, texts: [...texts], kind } satisfies ToWorker);
      });
    },
    async close() {
      closed = true;
      await running.worker.terminate();
    },
  };
}
