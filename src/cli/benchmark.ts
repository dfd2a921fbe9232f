/**
 * `npm run benchmark [-- DIR] [--json] [--weights FILE] [--limit N]` — answer quality on public data.
 *
 * Every `<name>.txt` in DIR (default `../shared/squad`; SQuAD is never committed) with its `<name>.qa.jsonl` gets an index in
 * `var/cache/index/<name>`, and every question is asked through `Footnote.ask`, the call the bot makes.
 *
 * - On the training articles (DIR is the default folder, no `--weights`): cross-validated by article. Each
 *   article is answered by a model trained on all the other articles and the summit questions.
 * - Otherwise (other articles, or `--weights FILE`): the committed (or given) weights answer everything.
 *
 * Prints a table per article and in total, writes `var/benchmark.json` and the risk–coverage picture
 * `var/risk-coverage.svg`.
 */
import { mkdir, realpath, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AnswerModel, DEFAULT_MODEL_PATH } from '../decision/answer-model.js';
import { crossValidateAll } from '../quality/second-stage-fit.js';
import { trainingReader, collect, DEFAULT_SQUAD_DIR, loadSquad, offTopicQuestions, riskCoverage, summitDataset, type Example } from '../quality/benchmark.js';
import { addMetrics, emptyMetrics, metricsOf, outcomeOfResult, precisionAtCoverage, rates, reliability, type Outcome } from '../quality/evaluate.js';
import { cachedQueries } from '../index/embedders/cached.js';
import { loadEmbedder } from '../index/embedders/index.js';
import { Footnote } from '../footnote.js';
import { parseArgs, runCli, UsageError, type ArgSpec } from './common.js';
import { bandLine, metricsTable } from './format.js';
import { reliabilitySvg, riskCoverageSvg } from './risk-plot.js';

const INDEX_ROOT = 'var/cache/index';

const BENCHMARK_ARGS: ArgSpec = {
  usage: 'npm run benchmark -- [DIR] [--json] [--weights FILE] [--limit N]   (DIR: SQuAD-format folder, default ../shared/squad)',
  values: ['weights', 'limit'],
  flags: ['json'],
  help: {
    weights: 'answer-model weights to use instead of cross-validating by article (the default folder) or the committed ones',
    limit: 'asks only the first N questions of each article',
    json: 'the report as JSON on stdout',
  },
};

runCli(async (config) => {
  const { values, flags, rest } = parseArgs(process.argv.slice(2), BENCHMARK_ARGS);
  if (rest.length > 1) throw new UsageError(`Usage: ${BENCHMARK_ARGS.usage}`);
  const dir = rest[0] ?? DEFAULT_SQUAD_DIR;
  const limit = values.limit === undefined ? Infinity : Number(values.limit);
  if (!(limit > 0)) throw new UsageError(`--limit must be a positive number of questions, got "${values.limit}".`);
  const squad = await loadSquad(dir, 'npm run benchmark -- DIR');
  const datasets = squad.map((d) => ({ ...d, items: d.items.slice(0, limit) }));
  const crossValidated = values.weights === undefined && (await realpath(dir)) === (await realpath(DEFAULT_SQUAD_DIR).catch(() => ''));
  const embedder = await loadEmbedder(config.embedding);
  const log = (line: string) => process.stderr.write(`${line}\n`);

  // The model that answers each article.
  const modelFor = new Map<string, AnswerModel>();
  if (crossValidated) {
    const pool = new Map<string, Example[]>();
    // Training features only: their question vectors are kept on disk (the timed asks below embed afresh).
    const cached = cachedQueries(embedder, 'var/cache');
    const training = [...squad, await summitDataset()];
    const offTopic = offTopicQuestions(training);
    for (const d of training) {
      log(`Features for ${d.name} (${d.items.length} questions)…`);
      pool.set(d.name, await collect(d, cached, INDEX_ROOT, offTopic.get(d.name)));
    }
    log('Training a first and a second stage per held-out article, the bands on the summit questions…');
    for (const [name, model] of crossValidateAll(pool, 'summit', { embeddingModel: embedder.id, readerModel: (await trainingReader()).id }).modelFor) modelFor.set(name, model);
  } else {
    const model = await AnswerModel.load(values.weights ?? DEFAULT_MODEL_PATH);
    for (const d of datasets) modelFor.set(d.name, model);
  }

  const rows: { name: string; metrics: ReturnType<typeof metricsOf> }[] = [];
  const all: Outcome[] = [];
  for (const d of datasets) {
    log(`Asking ${d.items.length} questions of ${d.name}…`);
    const footnote = await Footnote.open({ articlePath: d.articlePath, indexDir: join(INDEX_ROOT, d.name), embedder, model: modelFor.get(d.name)! });
    const outcomes: Outcome[] = [];
    for (const item of d.items) {
      const started = performance.now();
      const result = await footnote.ask(item.q);
      outcomes.push(outcomeOfResult(item, result, performance.now() - started));
    }
    rows.push({ name: d.name, metrics: metricsOf(outcomes) });
    all.push(...outcomes);
  }
  const total = rows.reduce((a, r) => addMetrics(a, r.metrics), emptyMetrics());
  const answered = all.filter((o) => o.answered);
  const operating = {
    coverage: answered.length / Math.max(1, all.length),
    accuracy: answered.filter((o) => o.item.answerable && o.citationsRight[0]).length / Math.max(1, answered.length),
  };
  const curve = riskCoverage(all);
  const mode = crossValidated ? 'cross-validated by article' : `weights ${values.weights ?? DEFAULT_MODEL_PATH}`;
  await mkdir('var', { recursive: true });
  const svgPath = 'var/risk-coverage.svg';
  await writeFile(svgPath, riskCoverageSvg(curve, operating, `Risk–coverage on ${all.length} SQuAD 2.0 questions (${mode})`));
  const calibration = reliability(all);
  const reliabilityPath = 'var/reliability.svg';
  await writeFile(reliabilityPath, reliabilitySvg(calibration.bins, calibration.ece, `Reliability on ${all.length} SQuAD 2.0 questions (${mode})`));
  const coverage = { at20: precisionAtCoverage(all, 0.2), at40: precisionAtCoverage(all, 0.4) };
  const report = {
    mode,
    model: embedder.id,
    articles: rows.map((r) => ({ name: r.name, ...r.metrics, ...rates(r.metrics) })),
    total: { ...total, ...rates(total) },
    operatingPoint: operating,
    precisionAtCoverage: coverage,
    reliability: calibration,
    riskCoverage: curve.filter((_, i) => i % Math.max(1, Math.floor(curve.length / 200)) === 0),
    picture: svgPath,
    reliabilityPicture: reliabilityPath,
  };
  await writeFile('var/benchmark.json', JSON.stringify(report, null, 1) + '\n');
  if (flags.has('json')) {
    process.stdout.write(JSON.stringify(report) + '\n');
    return;
  }
  process.stdout.write(`Benchmark on ${dir} (${mode}, ${embedder.id}):\n${metricsTable(rows, total, { timing: true })}\n`);
  process.stdout.write(`Operating point: ${(operating.coverage * 100).toFixed(1)}% answered, ${(operating.accuracy * 100).toFixed(1)}% of those right. Picture: ${svgPath}\n`);
  process.stdout.write(`Bands: ${bandLine(total)}\n`);
  process.stdout.write(`The 20% most confident: ${(coverage.at20 * 100).toFixed(1)}% right; the 40% most confident: ${(coverage.at40 * 100).toFixed(1)}% right. Expected calibration error ${(calibration.ece * 100).toFixed(1)} points (10 bins). Reliability diagram: ${reliabilityPath}\n`);
});
