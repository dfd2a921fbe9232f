/**
 * `npx tsx scripts/try-nonlinear.ts [DIR]` — the non-linear trial: a small MLP (one hidden layer
 * of 16 tanh units) as the confidence model, against the committed logistic regression, both over the
 * same ranker and features, cross-validated by article. Prints, for each, the accuracy (right answers
 * plus refused unanswerable questions) at the threshold set on the fold's training questions, and the
 * area under the accuracy–coverage curve of the held-out questions (threshold-free).
 */
import { ANSWERABLE_FEATURES, RANKER_FEATURES } from '../src/candidates/features.js';
import { bestThreshold, collect, DEFAULT_SQUAD_DIR, loadSquad, offTopicQuestions, summitDataset, synthetic, type Example } from '../src/quality/benchmark.js';
import { linear, mlpLogit } from '../src/decision/answer-model.js';
import { cachedQueries } from '../src/index/embedders/cached.js';
import { loadEmbedder } from '../src/index/embedders/index.js';
import { parseConfig } from '../src/config.js';
import { fitLogistic, fitMlp, fitRanker } from '../src/quality/learn.js';
import { answerableFeatures } from '../src/decision/answerable-features.js';

const dir = process.argv[2] ?? DEFAULT_SQUAD_DIR;
const datasets = [...(await loadSquad(dir, 'npx tsx scripts/try-nonlinear.ts DIR')), await summitDataset()];
const embedder = cachedQueries(await loadEmbedder(parseConfig(process.env).embedding), 'var/cache');
const offTopic = offTopicQuestions(datasets);
const byArticle = new Map<string, Example[]>();
for (const d of datasets) byArticle.set(d.name, await collect(d, embedder, 'var/cache/index', offTopic.get(d.name)));

type Scored = { z: number; answerable: boolean; right: boolean; weight: number };
const totals = { linear: { acc: 0, aurc: 0 }, mlp: { acc: 0, aurc: 0 }, n: 0 };
for (const [name, held] of byArticle) {
  const train = [...byArticle].filter(([n]) => n !== name).flatMap(([, ex]) => ex.filter((e) => e.offTopicFrom !== name));
  const ranker = fitRanker(train.filter((e) => e.item.answerable).map((e) => ({ features: e.retrieval.candidates.map((c) => c.features), labels: e.labels, weight: e.weight })), RANKER_FEATURES.length);
  const rows = (examples: readonly Example[]) =>
    examples.map((e) => {
      const logits = e.retrieval.candidates.map((c) => linear(ranker, c.features));
      const order = logits.map((_, i) => i).sort((a, b) => logits[b]! - logits[a]! || a - b);
      return { x: answerableFeatures(e.retrieval, logits, order), right: e.item.answerable && order.length > 0 && e.labels[order[0]!]!, answerable: e.item.answerable, weight: e.weight, real: !synthetic(e) };
    });
  const tr = rows(train);
  const te = rows(held).filter((r) => r.real);
  const lin = fitLogistic(tr.map((r) => r.x), tr.map((r) => r.right), ANSWERABLE_FEATURES.length, { weights: tr.map((r) => r.weight) });
  const mlp = fitMlp(tr.map((r) => r.x), tr.map((r) => r.right), ANSWERABLE_FEATURES.length, { weights: tr.map((r) => r.weight) });
  for (const [kind, z] of [['linear', (x: number[]) => linear(lin, x)], ['mlp', (x: number[]) => mlpLogit(mlp, x)]] as const) {
    const scored = (set: typeof tr): Scored[] => set.filter((r) => r.real).map((r) => ({ z: z(r.x), answerable: r.answerable, right: r.right, weight: r.weight }));
    const t = bestThreshold(scored(tr), { a: 1, b: 0 });
    const s = scored(te);
    const acc = s.filter((q) => (1 / (1 + Math.exp(-q.z)) >= t ? q.right : !q.answerable)).length / s.length;
    // Area under accuracy-of-answered against coverage.
    const sorted = [...s].sort((a, b) => b.z - a.z);
    let right = 0;
    let area = 0;
    sorted.forEach((q, i) => {
      if (q.right) right++;
      area += right / (i + 1) / sorted.length;
    });
    totals[kind].acc += acc * s.length;
    totals[kind].aurc += area * s.length;
    process.stdout.write(`${name.padEnd(32)} ${kind.padEnd(6)} accuracy ${(acc * 100).toFixed(1)}%  area ${(area * 100).toFixed(1)}%\n`);
  }
  totals.n += te.length;
}
for (const kind of ['linear', 'mlp'] as const) process.stdout.write(`TOTAL ${kind}: accuracy ${((totals[kind].acc / totals.n) * 100).toFixed(1)}%, area under accuracy–coverage ${((totals[kind].aurc / totals.n) * 100).toFixed(1)}%\n`);
