/**
 * The HNSW index under `embeddings/`: three files written atomically (temp file + rename).
 *
 * - `index.hnsw`     hnswlib-node's cosine index over chunk embeddings (label = chunk id)
 * - `chunks.json`    the chunk and sentence store the labels point into, with each sentence's
 *                    linguistic analysis and the article's WordNet lexicon (computed once, here)
 * - `manifest.json`  what built it (model, dimensions, article sha256, chunker version, counts, time)
 *                    and the sha256 of the two other files; written last
 *
 * An index is loaded only when its manifest matches the current article, model and chunker and both files
 * match their checksums; otherwise it is rebuilt and the reason is reported. A corrupt or truncated file
 * is never handed to the native loader.
 */
import { access, constants, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import hnswlib from 'hnswlib-node';
import type { Article } from '../article/article.js';
import { sha256 } from '../article/article.js';
import { CHUNKER_VERSION, chunkArticle, unitText, type Chunked } from '../article/chunker.js';
import { l2normalize, type Embedder } from './embedder.js';
import { EXIT, ExitError } from '../errors.js';
import { analyseSentences, LINGUISTICS_VERSION, type Linguistics } from './linguistics.js';

/** One hit of a nearest-neighbour search. */
export interface VectorHit {
  id: number;
  /** Cosine similarity. */
  similarity: number;
}

/** The nearest-neighbour index the retriever needs (HNSW in production, anything in tests). */
export interface VectorIndex {
  readonly size: number;
  search(vector: Float32Array, k: number): VectorHit[];
  /** The stored vector of one item. */
  vector(id: number): Float32Array;
}

export const INDEX_FORMAT = 2;
export const FILES = { index: 'index.hnsw', chunks: 'chunks.json', manifest: 'manifest.json' } as const;

export interface Manifest {
  format: number;
  model: string;
  dimensions: number;
  articleSha256: string;
  chunkerVersion: string;
  /** wink-nlp model and WordNet versions behind the stored per-sentence analysis. */
  linguisticsVersion: string;
  counts: { paragraphs: number; sentences: number; chunks: number };
  builtAt: string;
  buildMs: number;
  files: { index: string; chunks: string };
}

export interface LoadedIndex {
  index: VectorIndex;
  chunked: Chunked;
  linguistics: Linguistics;
  manifest: Manifest;
  /** True when this call built the index; `reason` then says why. */
  rebuilt: boolean;
  reason?: string;
}

export interface IndexOptions {
  dir: string;
  article: Article;
  embedder: Embedder;
  /** Called while embedding chunks during a build. */
  onProgress?: (done: number, total: number) => void;
  /** Build even when a valid index exists. */
  force?: boolean;
  /**
   * Never write: use the index as it is, or fail (exit 66) when it is missing or stale. Shards spawned by
   * the ShardingManager open it this way, after the manager has built it once.
   */
  readOnly?: boolean;
}

const HNSW = { m: 16, efConstruction: 200, ef: 64, seed: 42 } as const;

class HnswVectorIndex implements VectorIndex {
  constructor(
    readonly hnsw: hnswlib.HierarchicalNSW,
    readonly size: number,
  ) {
    hnsw.setEf(Math.max(HNSW.ef, size));
  }

  search(vector: Float32Array, k: number): VectorHit[] {
    const n = Math.min(k, this.size);
    if (n <= 0) return [];
    const { neighbors, distances } = this.hnsw.searchKnn(Array.from(vector), n);
    return neighbors.map((id, i) => ({ id, similarity: 1 - distances[i]! }));
  }

  vector(id: number): Float32Array {
    return Float32Array.from(this.hnsw.getPoint(id));
  }
}

export async function buildIndex(opts: IndexOptions): Promise<{ index: HnswVectorIndex; chunked: Chunked; linguistics: Linguistics; manifest: Manifest }> {
  const { dir, article, embedder, onProgress } = opts;
  const started = performance.now();
  // Checked before the embedding work, so an unwritable INDEX_DIR fails at once.
  const unwritable = (err: unknown) =>
    new ExitError(`The index folder ${dir} can't be written (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): set INDEX_DIR to a writable folder.`, EXIT.cantCreate);
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
  } catch (err) {
    throw unwritable(err);
  }
  const chunked = chunkArticle(article);
  // Sentences are embedded shortest first (a batch costs what its longest text costs), and a window's
  // vector is the normalised sum of its sentences' vectors: about a third of the work of embedding every
  // window, for a SQuAD-size article.
  const sentenceVectors = new Array<Float32Array>(chunked.sentences.length);
  const order = chunked.sentences.map((s) => s.id).sort((a, b) => unitText(chunked.sentences[a]!).length - unitText(chunked.sentences[b]!).length || a - b);
  const batch = 8;
  onProgress?.(0, order.length);
  for (let i = 0; i < order.length; i += batch) {
    const ids = order.slice(i, i + batch);
    const embedded = await embedder.embed(ids.map((id) => unitText(chunked.sentences[id]!)), 'passage');
    ids.forEach((id, k) => (sentenceVectors[id] = embedded[k]!));
    onProgress?.(Math.min(i + batch, order.length), order.length);
  }
  const vectors = chunked.chunks.map((c) => {
    if (c.sentences.length === 1) return sentenceVectors[c.sentences[0]!]!;
    const sum = new Float32Array(embedder.dimensions);
    for (const id of c.sentences) sentenceVectors[id]!.forEach((x, j) => (sum[j]! += x));
    return l2normalize(sum);
  });
  const hnsw = new hnswlib.HierarchicalNSW('cosine', embedder.dimensions);
  hnsw.initIndex(Math.max(1, vectors.length), HNSW.m, HNSW.efConstruction, HNSW.seed);
  vectors.forEach((v, id) => {
    if (v.length !== embedder.dimensions) {
      throw new Error(`Embedder ${embedder.id} returned ${v.length} dimensions, expected ${embedder.dimensions}`);
    }
    hnsw.addPoint(Array.from(v), id);
  });

  const indexTmp = join(dir, `${FILES.index}.tmp-${process.pid}`);
  let indexBytes: Buffer;
  try {
    hnsw.writeIndexSync(indexTmp);
    // hnswlib's writer can fail without throwing: check that the file is there.
    indexBytes = await readFile(indexTmp);
  } catch (err) {
    throw unwritable(err);
  }
  const linguistics = analyseSentences(chunked.sentences);
  const chunksText = JSON.stringify({ ...chunked, linguistics } satisfies StoredChunks);
  const manifest: Manifest = {
    format: INDEX_FORMAT,
    model: embedder.id,
    dimensions: embedder.dimensions,
    articleSha256: article.sha256,
    chunkerVersion: CHUNKER_VERSION,
    linguisticsVersion: LINGUISTICS_VERSION,
    counts: { paragraphs: article.paragraphs.length, sentences: chunked.sentences.length, chunks: chunked.chunks.length },
    builtAt: new Date().toISOString(),
    buildMs: Math.round(performance.now() - started),
    files: { index: sha256(indexBytes), chunks: sha256(chunksText) },
  };
  // Manifest last: a crash part-way leaves a manifest that does not match, so the next start rebuilds.
  try {
    await rm(join(dir, FILES.manifest), { force: true });
    await rename(indexTmp, join(dir, FILES.index));
    await writeAtomic(join(dir, FILES.chunks), chunksText);
    await writeAtomic(join(dir, FILES.manifest), JSON.stringify(manifest, null, 2) + '\n');
  } catch (err) {
    throw unwritable(err);
  }
  return { index: new HnswVectorIndex(hnsw, vectors.length), chunked, linguistics, manifest };
}

/** Loads the index in `dir` if it is valid for this article, model and chunker; otherwise builds it. */
export async function loadOrBuildIndex(opts: IndexOptions): Promise<LoadedIndex> {
  // Leftovers of a killed build go on the next start, whether or not this start builds.
  if (!opts.readOnly) await removeStaleTemps(opts.dir).catch(() => {});
  const problem = opts.force ? 'a rebuild was requested' : await checkIndex(opts);
  if (typeof problem !== 'string') return { ...problem, rebuilt: false };
  if (opts.readOnly) {
    throw new ExitError(`The index in ${opts.dir} can't be used (${problem}) and this shard only reads it: build it first with npm run index.`, EXIT.noInput);
  }
  const built = await buildIndex(opts);
  return { ...built, rebuilt: true, reason: problem };
}

/** A loaded index, or the reason it can't be used. */
async function checkIndex({ dir, article, embedder }: IndexOptions): Promise<Omit<LoadedIndex, 'rebuilt'> | string> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(join(dir, FILES.manifest), 'utf8')) as Manifest;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no index has been built yet' : 'the manifest is unreadable';
  }
  if (manifest === null || typeof manifest !== 'object' || Array.isArray(manifest)) return 'the manifest is not a manifest';
  if (manifest.format !== INDEX_FORMAT) return `the index format changed (${manifest.format} → ${INDEX_FORMAT})`;
  if (manifest.model !== embedder.id) return `it was built with model ${manifest.model}, not ${embedder.id}`;
  if (manifest.dimensions !== embedder.dimensions) return `it has ${manifest.dimensions} dimensions, the model gives ${embedder.dimensions}`;
  if (manifest.articleSha256 !== article.sha256) return 'the article changed';
  if (manifest.chunkerVersion !== CHUNKER_VERSION) return `the chunker changed (${manifest.chunkerVersion} → ${CHUNKER_VERSION})`;
  if (manifest.linguisticsVersion !== LINGUISTICS_VERSION) return `the linguistic analysis changed (${manifest.linguisticsVersion} → ${LINGUISTICS_VERSION})`;

  let indexBytes: Buffer;
  let chunksText: string;
  try {
    [indexBytes, chunksText] = await Promise.all([readFile(join(dir, FILES.index)), readFile(join(dir, FILES.chunks), 'utf8')]);
  } catch {
    return 'an index file is missing';
  }
  if (sha256(indexBytes) !== manifest.files?.index) return `${FILES.index} is corrupt or truncated`;
  if (sha256(chunksText) !== manifest.files?.chunks) return `${FILES.chunks} is corrupt or truncated`;
  const { linguistics, ...chunked } = JSON.parse(chunksText) as StoredChunks;
  if (chunked.chunks?.length !== manifest.counts?.chunks || linguistics?.analysis?.length !== chunked.sentences.length) {
    return `${FILES.chunks} does not match the manifest`;
  }

  const hnsw = new hnswlib.HierarchicalNSW('cosine', manifest.dimensions);
  try {
    hnsw.readIndexSync(join(dir, FILES.index));
  } catch (err) {
    return `${FILES.index} could not be read (${(err as Error).message})`;
  }
  if (hnsw.getCurrentCount() !== manifest.counts.chunks) return `${FILES.index} does not match the manifest`;
  return { index: new HnswVectorIndex(hnsw, manifest.counts.chunks), chunked, linguistics, manifest };
}

/** Removes temp files (`*.tmp-PID`) left by a build that was killed: those whose process is gone. */
export async function removeStaleTemps(dir: string): Promise<void> {
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const pid = Number(/\.tmp-(\d+)$/.exec(name)?.[1]);
    if (!pid || pid === process.pid || isRunning(pid)) continue;
    await rm(join(dir, name), { force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** What `chunks.json` holds: the chunk and sentence store and the sentences' linguistic data. */
type StoredChunks = Chunked & { linguistics: Linguistics };

async function writeAtomic(path: string, data: string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}
