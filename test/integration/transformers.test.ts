import { describe, expect, it } from 'vitest';
import { EmbedderLoadError } from '../../src/index/embedder.js';
import { loadTransformers, prefixFor } from '../../src/index/embedders/transformers.js';
import { loadEmbedder } from '../../src/index/embedders/index.js';
import { expectedTinyEmbedding, TINY_DIM, writeTinyModel } from '../helpers/tiny-model.js';
import { tempDir } from '../helpers/fixtures.js';

describe('transformers.js embedder, offline on a tiny generated model', async () => {
  const root = tempDir('tiny-model-');
  const model = await writeTinyModel(root);
  const options = { model, localModelPath: root, cacheDir: tempDir('cache-'), offline: true };

  it('loads from a local model folder and reports its dimensions', async () => {
    const e = await loadTransformers(options);
    expect(e.id).toBe(model);
    expect(e.dimensions).toBe(TINY_DIM);
  });

  it('mean-pools the hidden states over the attention mask and L2-normalises', async () => {
    const e = await loadTransformers(options);
    const [v] = await e.embed(['Putin Trump summit'], 'passage');
    const expected = expectedTinyEmbedding(['putin', 'trump', 'summit']);
    Array.from(v!).forEach((x, i) => expect(x).toBeCloseTo(expected[i]!, 5));
    expect(Math.hypot(...v!)).toBeCloseTo(1, 5);
  });

  it('gives the same vectors in a padded batch as one at a time', async () => {
    const e = await loadTransformers({ ...options, batchSize: 2 });
    const texts = ['war', 'the red carpet in alaska', 'peace deal', 'sanctions of the war in ukraine', 'putin'];
    const batched = await e.embed(texts, 'passage');
    expect(batched).toHaveLength(texts.length);
    for (let i = 0; i < texts.length; i++) {
      const [single] = await e.embed([texts[i]!], 'passage');
      Array.from(single!).forEach((x, d) => expect(batched[i]![d]).toBeCloseTo(x, 5));
    }
  });

  it('loads the model once: repeated calls share one promise', () => {
    expect(loadTransformers(options)).toBe(loadTransformers(options));
  });

  it('stops with a message naming the fixes when the model is not available offline', async () => {
    const err = await loadEmbedder({ model: 'nobody/missing-model', localModelPath: root, cacheDir: tempDir(), offline: true }).catch((e) => e);
    expect(err).toBeInstanceOf(EmbedderLoadError);
    expect(err.message).toMatch(/nobody\/missing-model/);
    expect(err.message).toMatch(/leave EMBEDDING_MODEL unset for the committed minilm-embedder/);
    expect(err.message).toMatch(/EMBEDDING_CACHE_DIR/);
  });

  it('adds the query and passage prefixes that e5 and bge models expect', () => {
    expect(prefixFor('intfloat/e5-small-v2', 'query')).toBe('query: ');
    expect(prefixFor('Xenova/e5-small-v2', 'passage')).toBe('passage: ');
    expect(prefixFor('Xenova/bge-small-en-v1.5', 'query')).toMatch(/^Represent/);
    expect(prefixFor('Xenova/all-MiniLM-L6-v2', 'query')).toBe('');
  });
});
