/**
 * How many of the first stage's candidates the reader must read: the recall of the right sentence among
 * the first K candidates by pre-score (embedder + HNSW + BM25, before any reader), on the SQuAD articles
 * (`../shared/squad`, or a folder given) and the summit's fitted question sets.
 *
 *   npx tsx scripts/measure-k.ts [DIR]
 */
import { cachedQueries } from '../src/index/embedders/cached.js';
import { loadEmbedder } from '../src/index/embedders/index.js';
import { parseConfig } from '../src/config.js';
import { collect, DEFAULT_SQUAD_DIR, loadSquad, summitDataset } from '../src/quality/benchmark.js';
import { CANDIDATES } from '../src/candidates/retrieval.js';

const config = parseConfig(process.env);
const embedder = cachedQueries(await loadEmbedder(config.embedding), 'var/cache');
const datasets = [...(await loadSquad(process.argv[2] ?? DEFAULT_SQUAD_DIR, 'npx tsx scripts/measure-k.ts DIR')), await summitDataset()];
const KS = [1, 2, 4, 6, 8, 10, 12, 16, 20, 24, 32, CANDIDATES];
for (const d of datasets) {
  const examples = (await collect(d, embedder, 'var/cache/index', [], { rewrite: false, reader: null })).filter((e) => e.item.answerable);
  const at = KS.map((k) => examples.filter((e) => e.labels.slice(0, k).some(Boolean)).length / examples.length);
  process.stdout.write(`${JSON.stringify({ name: d.name, questions: examples.length, recall: Object.fromEntries(KS.map((k, i) => [k, Math.round(at[i]! * 1000) / 1000])) })}\n`);
}
