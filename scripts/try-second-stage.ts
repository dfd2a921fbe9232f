/**
 * `npx tsx scripts/try-second-stage.ts [DIR] [--without a,b] [--plausible W]…` — the second stage's
 * ablations, cross-validated by article on the fitted data only (SQuAD of DIR, the summit's fitted sets;
 * never a held-out half). Collects once, fits the first-stage folds once, then scores each configuration:
 * first passage right, and precision at 20% and 40% coverage, for SQuAD and the own questions.
 */
import { loadEmbedder } from '../src/index/embedders/index.js';
import { cachedQueries } from '../src/index/embedders/cached.js';
import { loadConfig } from '../src/config.js';
import { collectTraining, DEFAULT_SQUAD_DIR, loadSquad, summitDataset, synthetic } from '../src/quality/benchmark.js';
import { calibrated } from '../src/decision/answer-model.js';
import { crossValidateStage, cutBands, firstStageFolds, stageExample, stageOutcome, topRight, type StageFitOptions, type StageScore } from '../src/quality/second-stage-fit.js';
import { metricsOf, rates } from '../src/quality/evaluate.js';

const OWN = 'summit';
const args = process.argv.slice(2);
const dir = args[0] && !args[0].startsWith('--') ? args[0] : DEFAULT_SQUAD_DIR;
const config = loadConfig();
const embedder = cachedQueries(await loadEmbedder(config.embedding), 'var/cache');
const datasets = [...(await loadSquad(dir, 'scripts/try-second-stage.ts DIR')), await summitDataset()];
const byArticle = await collectTraining(datasets, embedder, (l) => process.stderr.write(`${l}\n`));
process.stderr.write('First-stage folds…\n');
const folds = firstStageFolds(byArticle, OWN, { embeddingModel: embedder.id });
const stage = folds.flatMap((f) => f.examples.map((e) => stageExample(f.group, f.article, e, f.model)));

/** Precision of the first passage over the most confident `share` of the real questions. */
function precisionAt(scored: readonly StageScore[], share: number): number {
  const sorted = [...scored].sort((a, b) => (b.scores[0] ?? -1e9) - (a.scores[0] ?? -1e9));
  const n = Math.max(1, Math.round(sorted.length * share));
  return sorted.slice(0, n).filter(topRight).length / n;
}

function report(name: string, oof: StageScore[]): void {
  const real = oof.filter((x) => !synthetic(x.s.example));
  const bands = cutBands(oof, OWN);
  const line = (label: string, xs: StageScore[]) => {
    const m = metricsOf(xs.map((x) => stageOutcome(x, bands)));
    const r = rates(m);
    const answerable = xs.filter((x) => x.s.example.item.answerable);
    const ece = expectedCalibrationError(xs.map((x) => ({ p: x.order.length ? calibrated(bands.calibration, x.scores[0]!) : 0, right: topRight(x) })));
    return `${label}: best ${pct(answerable.filter(topRight).length / answerable.length)}, first ${pct(r.firstCitation)}, false ref ${pct(r.falseRefusal)}, unans ref ${pct(r.unanswerableRefused)}, answer band ${pct(r.answerBandPrecision)} of ${m.answerBand} (covers ${pct(r.answerBandCoverage)}), likely ${pct(r.likelyBandPrecision)} of ${m.likelyBand}, shown ${pct(r.shownSomewhere)}, acc ${pct(r.accuracy)}, p@20 ${pct(precisionAt(xs, 0.2))}, p@40 ${pct(precisionAt(xs, 0.4))}, ECE ${ece.toFixed(3)}`;
  };
  console.log(`== ${name} (bands: likely ≥ ${bands.threshold.toFixed(3)}, answer ≥ ${bands.answer.toFixed(3)}, silent < ${bands.silent.toFixed(3)})`);
  console.log('  ' + line('SQuAD', real.filter((x) => x.s.article !== OWN)));
  console.log('  ' + line('own', real.filter((x) => x.s.article === OWN)));
}

function expectedCalibrationError(points: { p: number; right: boolean }[], bins = 10): number {
  let sum = 0;
  for (let b = 0; b < bins; b++) {
    const inBin = points.filter((x) => Math.min(bins - 1, Math.floor(x.p * bins)) === b);
    if (!inBin.length) continue;
    const mean = inBin.reduce((s, x) => s + x.p, 0) / inBin.length;
    const acc = inBin.filter((x) => x.right).length / inBin.length;
    sum += (inBin.length / points.length) * Math.abs(mean - acc);
  }
  return sum;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

// The first stage alone, as a second stage that keeps its order: scores = first-stage confidence logit.
const firstOnly: StageScore[] = stage.map((s) => ({ s, order: s.ids.map((_, j) => j), scores: s.ids.map((_, j) => (j === 0 ? s.rows[0]![4]! : s.rows[0]![4]! - 1 - j)) }));
report('first stage alone', firstOnly);
const GROUPS: Record<string, string[]> = {
  'cross-candidate comparisons': ['dense_first', 'bm25_first', 'align_first', 'soft_first', 'views_', 'dense_gap_k', 'align_gap_k', 'soft_gap_k', 'type_unique', 'type_share'],
  'accounting (negation, names, antonyms)': ['negation_', 'missing_name', 'swapped_', 'missing_share', 'antonym'],
  'knowledge (WordNet kinds)': ['focus_'],
  'clause and coreference evidence (swapped_word, match_density, pronoun_antecedent)': ['swapped_word', 'match_density', 'pronoun_antecedent'],
};
const only = args.filter((a) => a.startsWith('--only=')).map((a) => a.slice(7));
const configs: [string, StageFitOptions][] = [
  ['second stage (linear)', {}],
  ...Object.entries(GROUPS).map(([name, without]): [string, StageFitOptions] => [`without ${name}`, { without }]),
  ['plausible weight 1', { plausibleWeight: 1 }],
  ['second stage (MLP, 8 hidden)', { learner: 'mlp', hidden: 8 }],
].filter(([name]) => only.length === 0 || only.some((o) => (name as string).includes(o))) as [string, StageFitOptions][];
for (const [name, opts] of configs) report(name, crossValidateStage(stage, opts).scores);
