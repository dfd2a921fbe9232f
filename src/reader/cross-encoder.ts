/**
 * The reader: a cross-encoder fine-tuned from all-MiniLM-L6-v2 (`models/minilm-reader/`, trained by
 * `training/`) that reads a question with a candidate passage and gives the probability that the
 * passage answers it. int8 ONNX through transformers.js, never fetched.
 *
 * Each pair is scored alone, never in a padded batch: dynamic int8 quantizes activations with one scale
 * per call, so in a batch a pair's logit moved by up to 0.12 with its neighbours (a logit must not depend
 * on what else was read, or cached and live scores differ), and alone is faster too: 24 pairs took
 * ~190 ms one by one against ~300 ms padded to the longest (`npm run bench` measures the whole ask).
 *
 * transformers.js's pipeline doesn't pass `text_pair`, so the tokenizer is called with it directly and
 * the model's logit goes through a sigmoid here; `token_type_ids` (0 for the question, 1 for the passage)
 * reach the model (`pairInputs` is tested for it).
 */
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkModelFolder } from '../index/model-folder.js';
import { ConfigurationError } from '../errors.js';

/** The committed reader. */
export const DEFAULT_READER_PATH = fileURLToPath(new URL('../../models/minilm-reader', import.meta.url));

/** Tokens a pair is cut to (the training's `MAX_LENGTH`). */
export const READER_MAX_TOKENS = 128;

export interface Reader {
  /** `minilm-reader@<first 12 hex of the weights' sha256>`: caches keyed by it follow the weights. */
  readonly id: string;
  /** Logits (log-odds that each passage answers the question), in order. */
  logits(question: string, passages: readonly string[]): Promise<number[]>;
}

export const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

type Tokenizer = ((texts: string[], opts: Record<string, unknown>) => Record<string, { dims: number[]; data: ArrayLike<number | bigint> }>) & { model_max_length: number };
type Classifier = (inputs: Record<string, unknown>) => Promise<{ logits: { data: Float32Array; dims: number[] } }>;

const loading = new Map<string, Promise<Reader>>();

/** Loads the reader in `folder` once per process (behind the model-folder guard). */
export function loadReader(folder: string): Promise<Reader> {
  let promise = loading.get(folder);
  if (!promise) {
    promise = load(folder);
    promise.catch(() => loading.delete(folder));
    loading.set(folder, promise);
  }
  return promise;
}

async function load(folder: string): Promise<Reader> {
  const { weightsSha256 } = await checkModelFolder(folder, 'reader');
  const { env, AutoTokenizer, AutoModelForSequenceClassification } = await import('@xenova/transformers');
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = dirname(folder) + '/';
  const name = basename(folder);
  let tokenizer: Tokenizer;
  let model: Classifier;
  try {
    tokenizer = (await AutoTokenizer.from_pretrained(name)) as unknown as Tokenizer;
    model = (await AutoModelForSequenceClassification.from_pretrained(name, { quantized: true })) as unknown as Classifier;
  } catch (err) {
    throw new ConfigurationError(`The reader in ${folder} could not be loaded (${(err as Error).message.split('\n')[0]}): restore the folder with \`git checkout -- ${folder}\`.`, { cause: err });
  }
  // Cut at READER_MAX_TOKENS.
  tokenizer.model_max_length = READER_MAX_TOKENS;
  return {
    id: `${name}@${weightsSha256.slice(0, 12)}`,
    async logits(question, passages) {
      const out: number[] = [];
      for (const passage of passages) {
        const { logits } = await model(pairInputs(tokenizer, question, [passage]));
        out.push(logits.data[0]!);
      }
      return out;
    },
  };
}

/** The model's inputs for one question against passages (padded to the longest): input_ids, attention_mask, token_type_ids. */
export function pairInputs(tokenizer: Tokenizer, question: string, passages: readonly string[]) {
  return tokenizer(passages.map(() => question), { text_pair: [...passages], padding: true, truncation: true });
}
