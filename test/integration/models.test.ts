import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/errors.js';
import { checkModelFolder } from '../../src/index/model-folder.js';
import { loadTransformers } from '../../src/index/embedders/transformers.js';
import { DEFAULT_READER_PATH, loadReader, pairInputs, READER_MAX_TOKENS, sigmoid } from '../../src/reader/cross-encoder.js';
import { tempDir } from '../helpers/fixtures.js';

const MODELS = new URL('../../models/', import.meta.url).pathname;

interface Check {
  pairs: { question: string; passage: string; torch: number; int8: number }[];
}

describe('the committed reader (models/minilm-reader)', () => {
  const check = JSON.parse(readFileSync(join(DEFAULT_READER_PATH, 'check.json'), 'utf8')) as Check;

  it('gives the probabilities onnxruntime gave at export for the same int8 file within its versions’ rounding, and PyTorch’s within int8 rounding', async () => {
    const reader = await loadReader(DEFAULT_READER_PATH);
    for (const p of check.pairs) {
      const [z] = await reader.logits(p.question, [p.passage]);
      // The same int8 file, each pair alone; Python's onnxruntime 1.31 and transformers.js's 1.14 round
      // int8 products differently (measured: 0.0055 at most on these pairs).
      expect(Math.abs(sigmoid(z!) - p.int8)).toBeLessThan(0.01);
      expect(Math.abs(sigmoid(z!) - p.torch)).toBeLessThan(0.05);
    }
  });

  it('scores each pair of a call as it scores it alone (neither padding nor neighbours move a logit)', async () => {
    const reader = await loadReader(DEFAULT_READER_PATH);
    const q = check.pairs[0]!.question;
    const passages = check.pairs.map((p) => p.passage);
    const batched = await reader.logits(q, passages);
    for (let i = 0; i < passages.length; i++) {
      const [alone] = await reader.logits(q, [passages[i]!]);
      // Dynamic int8 quantizes activations per call: a pair read in a padded batch would move.
      expect(batched[i]).toBe(alone);
    }
  });

  it('passes token_type_ids: 0 for the question, 1 for the passage, cut at READER_MAX_TOKENS', async () => {
    const { AutoTokenizer, env } = await import('@xenova/transformers');
    env.allowRemoteModels = false;
    env.localModelPath = MODELS;
    const tokenizer = (await AutoTokenizer.from_pretrained('minilm-reader')) as unknown as Parameters<typeof pairInputs>[0];
    tokenizer.model_max_length = READER_MAX_TOKENS;
    const inputs = pairInputs(tokenizer, 'who met', ['trump met putin', 'long '.repeat(300)]);
    const types = Array.from(inputs.token_type_ids!.data as ArrayLike<bigint>, Number);
    expect(inputs.token_type_ids!.dims).toEqual([2, READER_MAX_TOKENS]);
    // [CLS] who met [SEP] → 0; trump met putin [SEP] → 1; then padding.
    expect(types.slice(0, 8)).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
  });

  it('refuses a changed weights file with one line naming it', async () => {
    const copy = join(tempDir('reader-'), 'minilm-reader');
    cpSync(DEFAULT_READER_PATH, copy, { recursive: true });
    const weights = join(copy, 'onnx/model_quantized.onnx');
    const bytes = readFileSync(weights);
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 1;
    writeFileSync(weights, bytes);
    await expect(loadReader(copy)).rejects.toThrow(ConfigurationError);
    await expect(loadReader(copy)).rejects.toThrow(/model file .*model_quantized\.onnx is corrupt/);
  });

  it('names a missing weights file, and refuses an embedder folder given as the reader', async () => {
    const copy = join(tempDir('reader-'), 'minilm-reader');
    cpSync(DEFAULT_READER_PATH, copy, { recursive: true, filter: (src) => !src.endsWith('.onnx') });
    await expect(checkModelFolder(copy, 'reader')).rejects.toThrow(/model file .*model_quantized\.onnx is missing/);
    await expect(checkModelFolder(join(MODELS, 'minilm-embedder'), 'reader')).rejects.toThrow(/holds no reader/);
  });
});

describe('the committed embedder (models/minilm-embedder)', () => {
  it('puts a question nearer its answer than an unrelated sentence, and names its weights in its id', async () => {
    const e = await loadTransformers({ model: 'minilm-embedder', localModelPath: MODELS, offline: true });
    const manifest = JSON.parse(readFileSync(join(MODELS, 'minilm-embedder/manifest.json'), 'utf8')) as { files: Record<string, string> };
    expect(e.id).toBe(`minilm-embedder@${manifest.files['onnx/model_quantized.onnx']!.slice(0, 12)}`);
    expect(e.dimensions).toBe(384);
    const [q, near, far] = await e.embed(['Where was the summit held?', 'The summit took place in Anchorage, Alaska.', 'The recipe needs two eggs and flour.'], 'query');
    const cos = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);
    expect(cos(q!, near!)).toBeGreaterThan(cos(q!, far!) + 0.2);
  });
});
