import type { ClosableEmbedder, Embedder } from '../embedder.js';
import { loadTransformers } from './transformers.js';
import { USE_LITE_ID, loadUseLite } from './use-lite.js';
import { loadEmbedderInThread } from './thread.js';

export interface EmbeddingSettings {
  /** A Hugging Face model id, or `use-lite`. */
  model: string;
  cacheDir?: string;
  localModelPath?: string;
  offline?: boolean;
}

/** Loads exactly the configured model; never falls back to another one. */
export function loadEmbedder(settings: EmbeddingSettings): Promise<Embedder> {
  if (settings.model === USE_LITE_ID) return loadUseLite();
  return loadTransformers({
    model: settings.model,
    cacheDir: settings.cacheDir,
    localModelPath: settings.localModelPath,
    offline: settings.offline,
  });
}

/**
 * The embedder for the bot, whose event loop must stay free: use-lite's forward pass is JavaScript and
 * WebAssembly on the calling thread, so it gets a worker thread of its own; transformers.js already runs
 * its forward pass inside onnxruntime-node off the event loop (and that addon can be loaded by only one
 * thread per process), so it stays on the main thread, with a close that does nothing.
 */
export async function loadEmbedderOffLoop(settings: EmbeddingSettings): Promise<ClosableEmbedder> {
  if (settings.model === USE_LITE_ID) return loadEmbedderInThread(settings);
  return Object.assign(await loadEmbedder(settings), { close: async () => {} });
}
