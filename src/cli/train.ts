/**
 * `npm run train [-- DIR] [--out FILE] [--json]` — fits the answer model on the SQuAD articles of DIR
 * (default `../shared/squad`, never committed) and the project's own summit question sets, prints figures
 * cross-validated by article (each article decided by a model that never saw it), sets the threshold and
 * the calibration on the project's own questions (each scored by a model that did not see it), then fits
 * on everything, writes the weights with the training data's hash, and reports the held-out half of the
 * natural-question set, which nothing was fitted on.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AnswerModel, DEFAULT_MODEL_PATH } from '../answering/answer-model.js';
import {
  calibrate,
  collect,
  crossValidate,
  dataHash,
  DEFAULT_SQUAD_DIR,
  loadSquad,
  offTopicQuestions,
  OWN_HELD_OUT_SET,
  OWN_TRAINING_SETS,
  outcomeOfDecision,
  summitDataset,
  synthetic,
  trainModel,
  type Example,
  type Fold,
} from '../quality/benchmark.js';
import { addMetrics, emptyMetrics, metricsOf, parseEvalSet, rates } from '../quality/evaluate.js';
import { cachedQueries } from '../index/embedders/cached.js';
import { loadEmbedder } from '../index/embedders/index.js';
import { RANKER_FEATURES } from '../answering/features.js';
import { REWRITE_CAUSES } from '../quality/rewrites.js';
import { parseArgs, runCli, UsageError } from './common.js';
import { followUpLine, metricsTable } from './format.js';
import { Answerer } from '../answering/answer.js';
import type { Embedder } from '../index/embedder.js';
import { openRetriever } from '../footnote.js';
import { fitFollowUp, followUpDataHash, FOLLOW_UP_FIT_SET, FOLLOW_UP_HELD_SET, readFollowUpSet, scoreFollowUps, type Ask } from '../quality/follow-ups.js';

const OWN = 'summit';
/** The confidence model `npm run train` fits unless told otherwise (see README "What each part adds"). */
const DEFAULT_CONFIDENCE: 'mlp' | 'linear' = 'linear';

runCli(async (config) => {
  const { values, flags, rest } = parseArgs(process.argv.slice(2), { values: ['out', 'without', 'confidence'], flags: ['json', 'quick', 'follow-ups'] });
  if (rest.length > 1) throw new UsageError('Usage: npm run train [-- DIR] [--out FILE] [--json] [--quick] [--follow-ups] [--without PREFIX,PREFIX] [--confidence mlp|linear]');
  const out = values.out ?? DEFAULT_MODEL_PATH;
  if (flags.has('follow-ups')) {
    // Only the follow-up part, on top of the committed ranker and confidence model.
    const embedder = cachedQueries(await loadEmbedder(config.embedding), 'var/cache');
    const committed = await AnswerModel.load(DEFAULT_MODEL_PATH, { withoutFollowUp: true });
    const { model, report } = await withFollowUps(committed, embedder);
    await writeModel(model, out);
    printFollowUps(report, flags.has('json'), out);
    return;
  }
  const confidence = values.confidence ?? DEFAULT_CONFIDENCE;
  if (confidence !== 'mlp' && confidence !== 'linear') throw new UsageError(`--confidence must be mlp or linear, got "${values.confidence}".`);
  // --without soft_,prev_ (an ablation): the ranker features whose names start so are set to 0 everywhere.
  const without = (values.without ?? '').split(',').map((p) => p.trim()).filter(Boolean);
  const dropped = RANKER_FEATURES.map((f, i) => (without.some((p) => f.startsWith(p)) ? i : -1)).filter((i) => i >= 0);
  if (without.length && dropped.length === 0) throw new UsageError(`--without ${values.without} names no ranker feature.`);
  const summit = await summitDataset();
  const datasets = [...(await loadSquad(rest[0] ?? DEFAULT_SQUAD_DIR, 'npm run train -- DIR')), summit];
  // Training asks the same questions after every change to the features: their vectors are kept on disk.
  const embedder = cachedQueries(await loadEmbedder(config.embedding), 'var/cache');
  const offTopic = offTopicQuestions(datasets);
  const byArticle = new Map<string, Example[]>();
  for (const d of datasets) {
    process.stderr.write(`Retrieving ${d.items.length} questions of ${d.name}…\n`);
    byArticle.set(d.name, await collect(d, embedder, 'var/cache/index', offTopic.get(d.name)));
  }
  const mask = (examples: Example[]) => {
    for (const e of examples) for (const c of e.retrieval.candidates) for (const i of dropped) c.features[i] = 0;
    return examples;
  };
  for (const examples of byArticle.values()) mask(examples);
  const opts = { embeddingModel: embedder.id, confidence } as const;
  process.stderr.write('Calibrating on the own questions…\n');
  const { calibration, threshold, outcomes: ownOutcomes } = calibrate(byArticle, OWN, opts);
  const ownMetrics = metricsOf(ownOutcomes);
  process.stderr.write('Cross-validating by article…\n');
  // --quick (for trying features): no per-article cross-validation, only the own questions' folds.
  const cv = flags.has('quick') ? new Map<string, Fold>() : crossValidate(byArticle, opts, { calibration, threshold });
  const rows = [...cv].map(([name, { outcomes }]) => ({ name, metrics: metricsOf(outcomes) }));
  const total = rows.reduce((a, r) => addMetrics(a, r.metrics), emptyMetrics());
  const cvRates = rates(total);
  const byCause = REWRITE_CAUSES.map((cause) => {
    const all = [...cv.values()].flatMap((f) => f.rewrites.filter((r) => r.cause === cause));
    return { cause, questions: all.length, refused: all.filter((r) => r.refused).length };
  });

  const all = [...byArticle.values()].flat();
  const body = { ...trainModel(all, opts), calibration, threshold };
  const trained = AnswerModel.fromBody({
    ...body,
    training: {
      dataSha256: await dataHash(datasets),
      articles: datasets.map((d) => d.name),
      questions: all.filter((e) => !synthetic(e)).length,
      trainedAt: new Date().toISOString(),
      crossValidated: Object.fromEntries(Object.entries(cvRates).filter(([k]) => k !== 'msPerQuestion').map(([k, v]) => [k, Math.round(v * 1000) / 1000])),
    },
  });
  process.stderr.write('Fitting the follow-up part on the fit half of the follow-up set…\n');
  const { model, report: followUps } = await withFollowUps(trained, embedder);
  await writeModel(model, out);

  // The held-out half: never fitted on, decided by the model just written.
  const heldItems = parseEvalSet(await readFile(OWN_HELD_OUT_SET, 'utf8'), OWN_HELD_OUT_SET);
  const held = mask(await collect({ ...summit, items: heldItems, questionPaths: [OWN_HELD_OUT_SET] }, embedder, 'var/cache/index', [], { rewrite: false }));
  const heldOutcomes = held.map((e) => outcomeOfDecision(e, model));
  const heldMetrics = metricsOf(heldOutcomes);

  if (flags.has('json')) {
    process.stdout.write(
      JSON.stringify({ crossValidated: { total: cvRates, articles: rows.map((r) => ({ name: r.name, ...rates(r.metrics) })), rewritesRefused: byCause }, ownFolds: { ...ownMetrics, ...rates(ownMetrics) }, heldOut: { set: OWN_HELD_OUT_SET, ...heldMetrics, ...rates(heldMetrics) }, followUps, weights: out }) + '\n',
    );
    return;
  }
  const pct = (a: number, b: number) => `${a}/${b} (${b ? ((a / b) * 100).toFixed(1) : '0.0'}%)`;
  const line = (m: ReturnType<typeof metricsOf>, outcomes: readonly { item: { answerable: boolean }; topRight: boolean }[]) => {
    const shown = m.answerable - m.falseRefusals + m.unanswerable - m.refusedUnanswerable;
    const ranked = outcomes.filter((o) => o.item.answerable && o.topRight).length;
    return `best candidate right ${pct(ranked, m.answerable)}, first citation ${pct(m.firstRight, m.answerable)}, false refusals ${m.falseRefusals}, unanswerable refused ${pct(m.refusedUnanswerable, m.unanswerable)}, answers shown right ${pct(m.firstRight, shown)}`;
  };
  process.stdout.write(`Cross-validated by article (each article decided by a model trained on the others, at the calibration and threshold set on the own questions):\n`);
  process.stdout.write(metricsTable(rows, total, { timing: false }) + '\n');
  process.stdout.write(`Rewritten unanswerable questions refused, by cause (cross-validated): ${byCause.map((c) => `${c.cause} ${pct(c.refused, c.questions)}`).join(', ')}\n`);
  process.stdout.write(`Own questions (${OWN_TRAINING_SETS.join(', ')}), each decided by a model trained without it: ${line(ownMetrics, ownOutcomes)}\n`);
  process.stdout.write(`Held-out ${OWN_HELD_OUT_SET} (never fitted on): ${line(heldMetrics, heldOutcomes)}\n`);
  printFollowUps(followUps, false, out);
  process.stdout.write(`Weights written to ${out} (threshold ${threshold.toFixed(3)} on the calibrated confidence, trained on ${all.length} questions, ${all.filter(synthetic).length} of them made up: off-topic or rewritten).\n`);
});

async function writeModel(model: AnswerModel, out: string): Promise<void> {
  await mkdir(dirname(out), { recursive: true });
  await writeFile(`${out}.tmp`, JSON.stringify(model.toFile(), null, 1) + '\n');
  await rename(`${out}.tmp`, out);
}

/** `model` with its follow-up part fitted on the fit half, and the held-out half scored by the result. */
async function withFollowUps(model: AnswerModel, embedder: Embedder) {
  const { article, loaded, retriever } = await openRetriever({ articlePath: 'data/article.txt', indexDir: 'var/cache/index/summit', embedder });
  const answererFor = (m: AnswerModel) => new Answerer(article, loaded.chunked, retriever, loaded.index, m);
  const fit = await readFollowUpSet(FOLLOW_UP_FIT_SET);
  const standalone = (await summitDataset()).items;
  const dataSha256 = await followUpDataHash([FOLLOW_UP_FIT_SET, ...OWN_TRAINING_SETS]);
  const fitted = await fitFollowUp(answererFor, model, fit, standalone, dataSha256);
  const withFollowUp = AnswerModel.fromBody({ ...model.body, followUp: fitted.model });
  const answerer = answererFor(withFollowUp);
  const ask: Ask = (q, turns) => answerer.ask(q, turns);
  const held = await scoreFollowUps(await readFollowUpSet(FOLLOW_UP_HELD_SET), ask);
  const fitReport = await scoreFollowUps(fit, ask);
  return { model: withFollowUp, report: { weights: fitted.model.weights, resolvedRightOnFit: `${fitted.resolvedRight}/${fitted.followUps}`, gateRows: fitted.gateRows, fit: fitReport, held } };
}

function printFollowUps(report: Awaited<ReturnType<typeof withFollowUps>>['report'], json: boolean, out: string): void {
  if (json) {
    process.stdout.write(JSON.stringify({ followUps: report, weights: out }) + '\n');
    return;
  }
  const w = report.weights;
  process.stdout.write(`Follow-ups: context weights terms ${w.termWeight}, question ${w.questionWeight}, cited ${w.citedWeight}, names ${w.nameWeight} (replaced ${w.replacedNameWeight}), threshold ${w.threshold.toFixed(3)} (read as follow-ups, best candidate right on the fit half: ${report.resolvedRightOnFit}); gate fitted on ${report.gateRows} questions\n`);
  for (const [name, r] of [['fit half', report.fit], [`held out ${FOLLOW_UP_HELD_SET}`, report.held]] as const) {
    process.stdout.write(`  ${name}: ${followUpLine(r)}\n`);
  }
}
