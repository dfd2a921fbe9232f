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
import { AnswerModel, DEFAULT_MODEL_PATH } from '../decision/answer-model.js';
import { trainingReader, collect, collectTraining, dataHash, DEFAULT_SQUAD_DIR, loadSquad, OWN_HELD_OUT_SET, OWN_TRAINING_SETS, outcomeOfDecision, summitDataset, synthetic, taughtItems, trainModel, type Example } from '../quality/benchmark.js';
import { readTaughtAnswers } from '../store/open.js';
import { addMetrics, emptyMetrics, metricsOf, parseEvalSet, precisionAtCoverage, rates } from '../quality/evaluate.js';
import { crossValidateAll, fitScorer, secondStageModel, stageOutcome, type StageScore } from '../quality/second-stage-fit.js';
import { SECOND_STAGE_FEATURES } from '../decision/second-stage.js';
import { cachedQueries } from '../index/embedders/cached.js';
import { loadEmbedder } from '../index/embedders/index.js';
import { RANKER_FEATURES } from '../candidates/features.js';
import { REWRITE_CAUSES } from '../quality/rewrites.js';
import { parseArgs, runCli, UsageError, type ArgSpec } from './common.js';
import { bandLine, followUpLine, metricsTable } from './format.js';
import { Answerer } from '../answer/answer.js';
import type { Embedder } from '../index/embedder.js';
import { openRetriever } from '../footnote.js';
import { fitFollowUp, followUpDataHash, FOLLOW_UP_FIT_SET, FOLLOW_UP_HELD_SET, readFollowUpSet, scoreFollowUps, type Ask } from '../quality/follow-ups.js';

const OWN = 'summit';
/** The confidence model `npm run train` fits unless told otherwise (see README "What each part adds"). */
const DEFAULT_CONFIDENCE: 'mlp' | 'linear' = 'linear';

const TRAIN_ARGS: ArgSpec = {
  usage: 'npm run train -- [DIR] [--out FILE] [--json] [--quick] [--follow-ups] [--taught] [--without PREFIX,PREFIX] [--confidence mlp|linear]',
  values: ['out', 'without', 'confidence'],
  flags: ['json', 'quick', 'follow-ups', 'taught'],
  help: {
    out: 'where the weights go (default data/model/answer-model.json)',
    without: 'zeroes the features whose names start so (an ablation), e.g. reader,soft_',
    confidence: 'the confidence model: linear (default) or mlp',
    json: 'the figures as JSON on stdout',
    quick: 'skips the per-article cross-validation',
    'follow-ups': 'refits only the follow-up part',
    taught: "adds the store's taught answers to the own training questions",
  },
};

runCli(async (config) => {
  const { values, flags, rest } = parseArgs(process.argv.slice(2), TRAIN_ARGS);
  if (rest.length > 1) throw new UsageError(`Usage: ${TRAIN_ARGS.usage}`);
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
  // The same prefixes zero second-stage features (an ablation of the second stage's evidence).
  const stageWithout = without.filter((p) => SECOND_STAGE_FEATURES.some((f) => f.startsWith(p)));
  if (without.length && dropped.length === 0 && stageWithout.length === 0) throw new UsageError(`--without ${values.without} names no ranker or second-stage feature.`);
  const summit = await summitDataset();
  if (flags.has('taught')) {
    // The store's taught answers join the own (fitted) questions; the data hash covers them.
    const taught = await readTaughtAnswers({ dataDir: config.dataDir, databaseUrl: config.database.url });
    const { items, skipped } = taughtItems(taught, await readFile(summit.articlePath, 'utf8'));
    summit.items.push(...items);
    summit.extra = JSON.stringify(items);
    process.stderr.write(`Added ${items.length} taught answer${items.length === 1 ? '' : 's'} from the store to the own training questions${skipped ? ` (${skipped} left out: their quotes are no longer in the article)` : ''}.\n`);
  }
  const datasets = [...(await loadSquad(rest[0] ?? DEFAULT_SQUAD_DIR, 'npm run train -- DIR')), summit];
  // Training asks the same questions after every change to the features: their vectors are kept on disk.
  const embedder = cachedQueries(await loadEmbedder(config.embedding), 'var/cache');
  const byArticle = await collectTraining(datasets, embedder, (line) => process.stderr.write(`${line}\n`));
  const mask = (examples: Example[]) => {
    for (const e of examples) for (const c of e.retrieval.candidates) for (const i of dropped) c.features[i] = 0;
    return examples;
  };
  for (const examples of byArticle.values()) mask(examples);
  const opts = { embeddingModel: embedder.id, readerModel: (await trainingReader()).id, confidence } as const;
  // The second stage learns from first-stage lists of questions the first stage never saw: each SQuAD
  // article's from a first stage fitted on the others, each half of the own questions' from one fitted
  // without that half. --quick skips nothing here: the folds are the second stage's training data.
  process.stderr.write('Fitting the first stage out of fold (one model per article, two for the own questions)…\n');
  // Calibration and bands: the own questions' out-of-fold scores (the bot's own domain).
  const stageOpts = { without: stageWithout };
  const { stage, scores: oof, bands } = crossValidateAll(byArticle, OWN, opts, stageOpts);
  const real = oof.filter((x) => !synthetic(x.s.example));
  const outcomesOf = (xs: readonly StageScore[]) => xs.map((x) => stageOutcome(x, bands));
  const rows = [...new Set(real.map((x) => x.s.article))].map((name) => ({ name, metrics: metricsOf(outcomesOf(real.filter((x) => x.s.article === name))) }));
  const total = rows.reduce((a, r) => addMetrics(a, r.metrics), emptyMetrics());
  const cvRates = rates(total);
  const squadReal = real.filter((x) => x.s.article !== OWN);
  const coverage = { at20: precisionAtCoverage(outcomesOf(squadReal), 0.2), at40: precisionAtCoverage(outcomesOf(squadReal), 0.4) };
  const byCause = REWRITE_CAUSES.map((cause) => {
    const all = oof.filter((x) => x.s.example.rewrite === cause);
    return { cause, questions: all.length, refused: outcomesOf(all).filter((o) => !o.answered).length };
  });
  const ownOutcomes = outcomesOf(real.filter((x) => x.s.article === OWN));
  const ownMetrics = metricsOf(ownOutcomes);

  const all = [...byArticle.values()].flat();
  const scorer = fitScorer(stage, stageOpts);
  const body = { ...trainModel(all, opts), calibration: bands.calibration, threshold: bands.threshold, secondStage: secondStageModel(scorer, bands) };
  const trained = AnswerModel.fromBody({
    ...body,
    training: {
      dataSha256: await dataHash(datasets),
      articles: datasets.map((d) => d.name),
      questions: all.filter((e) => !synthetic(e)).length,
      trainedAt: new Date().toISOString(),
      crossValidated: Object.fromEntries(
        Object.entries({ ...cvRates, squadPrecisionAt20: coverage.at20, squadPrecisionAt40: coverage.at40 })
          .filter(([k]) => k !== 'msPerQuestion')
          .map(([k, v]) => [k, Math.round(v * 1000) / 1000]),
      ),
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
      JSON.stringify({ crossValidated: { total: cvRates, squadPrecisionAtCoverage: coverage, articles: rows.map((r) => ({ name: r.name, ...rates(r.metrics) })), rewritesRefused: byCause }, bands, ownFolds: { ...ownMetrics, ...rates(ownMetrics) }, heldOut: { set: OWN_HELD_OUT_SET, ...heldMetrics, ...rates(heldMetrics) }, followUps, weights: out }) + '\n',
    );
    return;
  }
  const pct = (a: number, b: number) => `${a}/${b} (${b ? ((a / b) * 100).toFixed(1) : '0.0'}%)`;
  const line = (m: ReturnType<typeof metricsOf>, outcomes: readonly { item: { answerable: boolean }; topRight: boolean }[]) => {
    const shown = m.answerable - m.falseRefusals + m.unanswerable - m.refusedUnanswerable;
    const ranked = outcomes.filter((o) => o.item.answerable && o.topRight).length;
    return `best candidate right ${pct(ranked, m.answerable)}, first passage ${pct(m.firstRight, m.answerable)}, false refusals ${m.falseRefusals}, unanswerable refused ${pct(m.refusedUnanswerable, m.unanswerable)}, answers shown right ${pct(m.firstRight, shown)}; ${bandLine(m)}`;
  };
  process.stdout.write(`Cross-validated by article (each article decided by a first and a second stage that never saw it, at the calibration and bands set on the own questions):\n`);
  process.stdout.write(metricsTable(rows, total, { timing: false }) + '\n');
  process.stdout.write(`Bands: answer at confidence ≥ ${bands.answer.toFixed(3)}, likely ≥ ${bands.threshold.toFixed(3)}; a refusal says "The article doesn't say" when the passages shown are unlikely to hold the answer (found < ${bands.silent.toFixed(3)}).\n`);
  process.stdout.write(`SQuAD, cross-validated: ${bandLine(metricsOf(outcomesOf(squadReal)))}; the 20% most confident right ${(coverage.at20 * 100).toFixed(1)}%, the 40% most confident ${(coverage.at40 * 100).toFixed(1)}%\n`);
  process.stdout.write(`Rewritten unanswerable questions refused, by cause (cross-validated): ${byCause.map((c) => `${c.cause} ${pct(c.refused, c.questions)}`).join(', ')}\n`);
  process.stdout.write(`Own questions (${OWN_TRAINING_SETS.join(', ')}), each decided by models trained without its half: ${line(ownMetrics, ownOutcomes)}\n`);
  process.stdout.write(`Held-out ${OWN_HELD_OUT_SET} (never fitted on): ${line(heldMetrics, heldOutcomes)}\n`);
  printFollowUps(followUps, false, out);
  process.stdout.write(`Weights written to ${out} (trained on ${all.length} questions, ${all.filter(synthetic).length} of them made up: off-topic or rewritten).\n`);
});

async function writeModel(model: AnswerModel, out: string): Promise<void> {
  await mkdir(dirname(out), { recursive: true });
  await writeFile(`${out}.tmp`, JSON.stringify(model.toFile(), null, 1) + '\n');
  await rename(`${out}.tmp`, out);
}

/** `model` with its follow-up part fitted on the fit half, and the held-out half scored by the result. */
async function withFollowUps(model: AnswerModel, embedder: Embedder) {
  const { article, loaded, retriever } = await openRetriever({ articlePath: 'data/article.txt', indexDir: 'var/cache/index/summit', embedder, reader: await trainingReader() });
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
