/**
 * Reader logits remembered on disk, for training and the benchmark: they read the same question and
 * passage pairs again after every change to the features, and a logit depends only on the weights and
 * the two texts. One file per reader id under the cache folder (`var/cache`). Never used by the bot.
 */
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from '../article/article.js';
import type { Reader } from './cross-encoder.js';

export function cachedReader(reader: Reader, dir: string): Reader {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `reader-${reader.id.replace(/[^\w.-]+/g, '_')}.jsonl`);
  const known = new Map<string, number>();
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    // No cache yet.
  }
  for (const line of text.split('\n')) {
    try {
      const { k, z } = JSON.parse(line) as { k: string; z: number };
      if (typeof z === 'number') known.set(k, z);
    } catch {
      // A torn last line: that pair is read again.
    }
  }
  return {
    id: reader.id,
    async logits(question, passages) {
      const keys = passages.map((p) => sha256(`${question}\n${p}`));
      const missing = passages.map((_, i) => i).filter((i) => !known.has(keys[i]!));
      if (missing.length) {
        const z = await reader.logits(question, missing.map((i) => passages[i]!));
        missing.forEach((i, j) => known.set(keys[i]!, z[j]!));
        appendFileSync(file, missing.map((i) => JSON.stringify({ k: keys[i], z: known.get(keys[i]!) })).join('\n') + '\n');
      }
      return keys.map((k) => known.get(k)!);
    },
  };
}
