/**
 * transformers.js feature extraction (int8): mean pooling and L2 normalisation, batched, loaded once.
 * The default is the committed `models/minilm-embedder` (all-MiniLM-L6-v2, `training/`), a local folder
 * behind the model-folder guard whose id carries its weights' hash; a Hugging Face id is fetched only
 * when `offline` is false.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EmbedderLoadError, type EmbedKind, type Embedder } from '../embedder.js';
import { checkModelFolder } from '../model-folder.js';

export interface TransformersOptions {
  /** Hugging Face model id, or a folder name under `localModelPath`. */
  model: string;
  /** Where downloaded models are cached. */
  cacheDir?: string;
  /** Folder of local models (`<localModelPath>/<model>/{config.json,tokenizer.json,onnx/model_quantized.onnx}`). */
  localModelPath?: string;
  /** Never contact the hub (only cache and local folder). */
  offline?: boolean;
  quantized?: boolean;
  batchSize?: number;
}

/** Prefixes some model families expect on queries and passages. */
export function prefixFor(model: string, kind: EmbedKind): string {
  const id = model.toLowerCase();
  if (/\be5\b|multilingual-e5|\/e5-/.test(id)) return kind === 'query' ? 'query: ' : 'passage: ';
  if (id.includes('bge-') && kind === 'query') return 'Represent this sentence for searching relevant passages: ';
  if (id.includes('nomic-embed')) return kind === 'query' ? 'search_query: ' : 'search_document: ';
  return '';
}

type Extractor = (texts: string[], opts: { pooling: 'mean'; normalize: boolean }) => Promise<{ dims: number[]; data: Float32Array }>;

const loading = new Map<string, Promise<Embedder>>();

/** Loads a model once per (model, options); later calls share the same promise. */
export function loadTransformers(opts: TransformersOptions): Promise<Embedder> {
  const key = JSON.stringify(opts);
  let promise = loading.get(key);
  if (!promise) {
    promise = load(opts);
    promise.catch(() => loading.delete(key));
    loading.set(key, promise);
  }
  return promise;
}

async function load(opts: TransformersOptions): Promise<Embedder> {
  // A committed folder (with a manifest) is checked first; its id names the weights.
  const folder = opts.localModelPath ? join(opts.localModelPath, opts.model) : undefined;
  const guarded = folder && existsSync(join(folder, 'manifest.json')) ? await checkModelFolder(folder, 'embedder') : undefined;
  const id = guarded ? `${opts.model}@${guarded.weightsSha256.slice(0, 12)}` : opts.model;
  const { env, pipeline } = await import('@xenova/transformers');
  if (opts.cacheDir) env.cacheDir = opts.cacheDir;
  if (opts.localModelPath) env.localModelPath = opts.localModelPath;
  env.allowLocalModels = true;
  env.allowRemoteModels = !opts.offline;
  let extractor: Extractor;
  try {
    extractor = (await pipeline('feature-extraction', opts.model, { quantized: opts.quantized ?? true })) as unknown as Extractor;
  } catch (err) {
    throw new EmbedderLoadError(
      `Could not load embedding model "${opts.model}": ${(err as Error).message}. ` +
        'Fixes: leave EMBEDDING_MODEL unset for the committed minilm-embedder; or put the model files in ' +
        'EMBEDDING_LOCAL_MODEL_PATH/<model>/; or set EMBEDDING_OFFLINE=false where the Hugging Face hub is reachable, ' +
        'so it downloads once into EMBEDDING_CACHE_DIR.',
      { cause: err },
    );
  }
  const batchSize = opts.batchSize ?? 32;
  const run = async (texts: string[]): Promise<Float32Array[]> => {
    const out = await extractor(texts, { pooling: 'mean', normalize: true });
    const dim = out.dims.at(-1)!;
    return texts.map((_, i) => out.data.slice(i * dim, (i + 1) * dim));
  };
  const [probe] = await run(['dimension probe']);
  return {
    id,
    dimensions: probe!.length,
    async embed(texts, kind) {
      const vectors: Float32Array[] = [];
      for (let i = 0; i < texts.length; i += batchSize) {
        const batch = texts.slice(i, i + batchSize).map((t) => prefixFor(opts.model, kind) + t);
        vectors.push(...(await run(batch)));
      }
      return vectors;
    },
  };
}
