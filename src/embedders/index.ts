import type { Embedder } from '../embedder.js';
import { loadTransformers } from './transformers.js';
import { USE_LITE_ID, loadUseLite } from './use-lite.js';

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
