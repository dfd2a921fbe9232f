/**
 * The reader: a cross-encoder fine-tuned from all-MiniLM-L6-v2 (`models/minilm-reader/`, trained by
 * `training/`) that reads a question with a candidate passage and gives the probability that the
 * passage answers it. One batched call per question; int8 ONNX through transformers.js, never fetched.
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
  // Pad to the longest pair of a batch, cut at READER_MAX_TOKENS.
  tokenizer.model_max_length = READER_MAX_TOKENS;
  return {
    id: `${name}@${weightsSha256.slice(0, 12)}`,
    async logits(question, passages) {
      if (passages.length === 0) return [];
      const inputs = pairInputs(tokenizer, question, passages);
      const { logits } = await model(inputs);
      return Array.from(logits.data.slice(0, passages.length));
    },
  };
}

/** The model's inputs for one question against several passages: input_ids, attention_mask, token_type_ids. */
export function pairInputs(tokenizer: Tokenizer, question: string, passages: readonly string[]) {
  return tokenizer(passages.map(() => question), { text_pair: [...passages], padding: true, truncation: true });
}
