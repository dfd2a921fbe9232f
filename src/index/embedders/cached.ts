/**
 * Query embeddings remembered on disk, for training and the benchmark: they ask the same thousands of
 * questions again after every change to the features, and a question's vector depends only on the model
 * and the text. One file per model under the cache folder (`var/cache`), read once and appended to.
 * Never used by the bot.
 */
import { sha256 } from '../../article/article.js';
import type { EmbedKind, Embedder } from '../embedder.js';
import { jsonlCache } from '../jsonl-cache.js';

export function cachedQueries(embedder: Embedder, dir: string): Embedder {
  const cache = jsonlCache<Float32Array>(dir, `queries-${embedder.id}`, 'v', (v) => (Array.isArray(v) && v.length === embedder.dimensions ? Float32Array.from(v as number[]) : undefined), (v) => Array.from(v));
  return {
    id: embedder.id,
    dimensions: embedder.dimensions,
    async embed(texts: readonly string[], kind: EmbedKind): Promise<Float32Array[]> {
      if (kind !== 'query') return embedder.embed(texts, kind);
      const keys = texts.map((t) => sha256(t));
      const missing = texts.map((_, i) => i).filter((i) => !cache.known.has(keys[i]!));
      if (missing.length) {
        const vectors = await embedder.embed(missing.map((i) => texts[i]!), kind);
        cache.add(missing.map((i, j) => [keys[i]!, vectors[j]!]));
      }
      return keys.map((k) => cache.known.get(k)!);
    },
  };
}
