/**
 * Writes a tiny BERT-shaped transformers.js model into a folder, for offline tests of the real loading
 * code: config.json, tokenizer.json (WordPiece), and an ONNX graph whose `last_hidden_state` is
 * `embedding[input_ids] * attention_mask` — so mean pooling over it is computable by hand.
 * The ONNX protobuf is encoded here directly (a few hundred bytes; no onnx package needed).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const TINY_SPECIAL = ['[PAD]', '[UNK]', '[CLS]', '[SEP]'];
export const TINY_WORDS = ['putin', 'trump', 'alaska', 'summit', 'war', 'ukraine', 'deal', 'peace', 'sanctions', 'red', 'carpet', 'the', 'a', 'in', 'of', 'dimension', 'probe', '.', '?'];
export const TINY_DIM = 8;

/** Deterministic embedding table: row i is a fixed pseudo-random vector. */
export function tinyEmbeddingTable(): number[][] {
  const vocab = TINY_SPECIAL.length + TINY_WORDS.length;
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  return Array.from({ length: vocab }, () => Array.from({ length: TINY_DIM }, rand));
}

// --- minimal protobuf writer ---
type Field = Uint8Array;
function varint(n: number | bigint): number[] {
  let v = BigInt(n);
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return out;
}
const key = (field: number, wire: number) => varint((field << 3) | wire);
const int = (field: number, n: number | bigint): Field => Uint8Array.from([...key(field, 0), ...varint(n)]);
const bytes = (field: number, data: Uint8Array): Field => Uint8Array.from([...key(field, 2), ...varint(data.length), ...data]);
const str = (field: number, s: string): Field => bytes(field, new TextEncoder().encode(s));
const msg = (field: number, ...parts: Field[]): Field => bytes(field, concat(parts));
function concat(parts: Field[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const FLOAT = 1;
const INT64 = 7;
const dim = (d: number | string): Field => msg(1, typeof d === 'number' ? int(1, d) : str(2, d));
const valueInfo = (field: number, name: string, elem: number, dims: (number | string)[]): Field =>
  msg(field, str(1, name), msg(2, msg(1, int(1, elem), msg(2, ...dims.map(dim)))));
const node = (inputs: string[], outputs: string[], op: string, ...attrs: Field[]): Field =>
  msg(1, ...inputs.map((i) => str(1, i)), ...outputs.map((o) => str(2, o)), str(3, `${op}_${outputs[0]}`), str(4, op), ...attrs);
const intAttr = (name: string, value: number): Field => msg(5, str(1, name), int(3, value), int(20, 2));

function tensor(name: string, dims: number[], type: number, raw: Uint8Array): Field {
  return msg(5, ...dims.map((d) => int(1, d)), int(2, type), str(8, name), bytes(9, raw));
}

export function tinyOnnx(): Uint8Array {
  const table = tinyEmbeddingTable();
  const embedding = new Float32Array(table.flat());
  const axes = new BigInt64Array([2n]);
  const graph = msg(
    7,
    node(['embedding', 'input_ids'], ['hidden'], 'Gather', intAttr('axis', 0)),
    node(['attention_mask'], ['mask_f'], 'Cast', intAttr('to', FLOAT)),
    node(['mask_f', 'axes'], ['mask_3d'], 'Unsqueeze'),
    node(['hidden', 'mask_3d'], ['last_hidden_state'], 'Mul'),
    str(2, 'tiny'),
    tensor('embedding', [table.length, TINY_DIM], FLOAT, new Uint8Array(embedding.buffer)),
    tensor('axes', [1], INT64, new Uint8Array(axes.buffer)),
    valueInfo(11, 'input_ids', INT64, ['batch', 'sequence']),
    valueInfo(11, 'attention_mask', INT64, ['batch', 'sequence']),
    valueInfo(12, 'last_hidden_state', FLOAT, ['batch', 'sequence', TINY_DIM]),
  );
  return concat([int(1, 8), str(2, 'footnote-tests'), graph, msg(8, str(1, ''), int(2, 13))]);
}

export function tinyTokenizer(): object {
  const vocab: Record<string, number> = {};
  [...TINY_SPECIAL, ...TINY_WORDS].forEach((t, i) => (vocab[t] = i));
  const special = (content: string, id: number) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: TINY_SPECIAL.map((t, i) => special(t, i)),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } }, { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [2], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [3], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  };
}

/** Writes the model as `<root>/<name>/…` with both `model.onnx` and `model_quantized.onnx`. */
export async function writeTinyModel(root: string, name = 'footnote/tiny-bert'): Promise<string> {
  const dir = join(root, name);
  await mkdir(join(dir, 'onnx'), { recursive: true });
  const onnx = tinyOnnx();
  await Promise.all([
    writeFile(join(dir, 'config.json'), JSON.stringify({ model_type: 'bert', hidden_size: TINY_DIM, architectures: ['BertModel'] })),
    writeFile(join(dir, 'tokenizer.json'), JSON.stringify(tinyTokenizer())),
    writeFile(
      join(dir, 'tokenizer_config.json'),
      JSON.stringify({ tokenizer_class: 'BertTokenizer', do_lower_case: true, model_max_length: 64, cls_token: '[CLS]', sep_token: '[SEP]', pad_token: '[PAD]', unk_token: '[UNK]' }),
    ),
    writeFile(join(dir, 'onnx', 'model.onnx'), onnx),
    writeFile(join(dir, 'onnx', 'model_quantized.onnx'), onnx),
  ]);
  return name;
}

/** What the model + mean pooling + L2 normalisation must give for a text of known tokens (with [CLS] and [SEP]). */
export function expectedTinyEmbedding(tokens: string[]): number[] {
  const table = tinyEmbeddingTable();
  const ids = [2, ...tokens.map((t) => TINY_SPECIAL.length + TINY_WORDS.indexOf(t)), 3];
  const mean = Array.from({ length: TINY_DIM }, (_, d) => ids.reduce((s, id) => s + table[id]![d]!, 0) / ids.length);
  const norm = Math.hypot(...mean);
  return mean.map((x) => x / norm);
}
