/**
 * Reader logits remembered on disk, for training and the benchmark: they read the same question and
 * passage pairs again after every change to the features, and a logit depends only on the weights and
 * the two texts. One file per reader id under the cache folder (`var/cache`). Never used by the bot.
 */
import { sha256 } from '../article/article.js';
import { jsonlCache } from '../index/jsonl-cache.js';
import type { Reader } from './cross-encoder.js';

export function cachedReader(reader: Reader, dir: string): Reader {
  const cache = jsonlCache<number>(dir, `reader-${reader.id}`, 'z', (z) => (typeof z === 'number' ? z : undefined));
  return {
    id: reader.id,
    async logits(question, passages) {
      const keys = passages.map((p) => sha256(`${question}\n${p}`));
      const missing = passages.map((_, i) => i).filter((i) => !cache.known.has(keys[i]!));
      if (missing.length) {
        const z = await reader.logits(question, missing.map((i) => passages[i]!));
        cache.add(missing.map((i, j) => [keys[i]!, z[j]!]));
      }
      return keys.map((k) => cache.known.get(k)!);
    },
  };
}
