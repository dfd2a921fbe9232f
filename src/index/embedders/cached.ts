/**
 * Query embeddings remembered on disk, for training and the benchmark: they ask the same thousands of
 * questions again after every change to the features, and a question's vector depends only on the model
 * and the text. One file per model under the cache folder (`var/cache`), read once and appended to.
 * Never used by the bot.
 */
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from '../../article/article.js';
import type { EmbedKind, Embedder } from '../embedder.js';

export function cachedQueries(embedder: Embedder, dir: string): Embedder {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `queries-${embedder.id.replace(/[^\w.-]+/g, '_')}.jsonl`);
  const known = new Map<string, Float32Array>();
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    // No cache yet.
  }
  for (const line of text.split('\n')) {
    try {
      const { k, v } = JSON.parse(line) as { k: string; v: number[] };
      if (Array.isArray(v) && v.length === embedder.dimensions) known.set(k, Float32Array.from(v));
    } catch {
      // A torn last line: ignored, that question is embedded again.
    }
  }
  return {
    id: embedder.id,
    dimensions: embedder.dimensions,
    async embed(texts: readonly string[], kind: EmbedKind): Promise<Float32Array[]> {
      if (kind !== 'query') return embedder.embed(texts, kind);
      const keys = texts.map((t) => sha256(t));
      const missing = texts.filter((_, i) => !known.has(keys[i]!));
      if (missing.length) {
        const vectors = await embedder.embed(missing, kind);
        const lines: string[] = [];
        missing.forEach((t, i) => {
          const k = sha256(t);
          known.set(k, vectors[i]!);
          lines.push(JSON.stringify({ k, v: Array.from(vectors[i]!) }));
        });
        appendFileSync(file, lines.join('\n') + '\n');
      }
      return keys.map((k) => known.get(k)!);
    },
  };
}
