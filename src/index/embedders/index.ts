import type { Embedder } from '../embedder.js';
import { loadTransformers } from './transformers.js';

export interface EmbeddingSettings {
  /** A model folder under `localModelPath` (default: the committed `minilm-embedder`), or a Hugging Face id. */
  model: string;
  cacheDir?: string;
  localModelPath?: string;
  offline?: boolean;
}

/**
 * Loads exactly the configured model; never falls back to another one. transformers.js runs the forward
 * pass inside onnxruntime-node, off the event loop, so the bot and the command line load it the same way.
 */
export function loadEmbedder(settings: EmbeddingSettings): Promise<Embedder> {
  return loadTransformers({
    model: settings.model,
    cacheDir: settings.cacheDir,
    localModelPath: settings.localModelPath,
    offline: settings.offline,
  });
}
