/**
 * `npm run train [-- DIR] [--out FILE] [--json]` — fits the answer model on the SQuAD articles of DIR
 * (default `../shared/squad`, never committed) and the project's own summit question sets, prints figures cross-validated by article (each
 * article decided by a model that never saw it), then fits on everything and writes the weights with the
 * training data's hash.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AnswerModel, DEFAULT_MODEL_PATH } from '../answer-model.js';
import { collect, crossValidate, dataHash, DEFAULT_SQUAD_DIR, loadSquad, offTopicQuestions, summitDataset, trainModel, type Example } from '../benchmark.js';
import { addMetrics, emptyMetrics, metricsOf, rates } from '../evaluate.js';
import { loadEmbedder } from '../embedders/index.js';
import { parseArgs, runCli, UsageError } from './common.js';
import { metricsTable } from './format.js';

runCli(async (config) => {
  const { values, flags, rest } = parseArgs(process.argv.slice(2), { values: ['out'], flags: ['json'] });
  if (rest.length > 1) throw new UsageError('Usage: npm run train [-- DIR] [--out FILE] [--json]');
  const out = values.out ?? DEFAULT_MODEL_PATH;
  const datasets = [...(await loadSquad(rest[0] ?? DEFAULT_SQUAD_DIR, 'npm run train -- DIR')), await summitDataset()];
  const embedder = await loadEmbedder(config.embedding);
  const offTopic = offTopicQuestions(datasets);
  const byArticle = new Map<string, Example[]>();
  for (const d of datasets) {
    process.stderr.write(`Retrieving ${d.items.length} questions of ${d.name}…\n`);
    byArticle.set(d.name, await collect(d, embedder, 'var/cache/index', offTopic.get(d.name)));
  }
  const opts = { embeddingModel: embedder.id };
  const cv = crossValidate(byArticle, opts);
  const rows = [...cv].map(([name, { outcomes }]) => ({ name, metrics: metricsOf(outcomes) }));
  const total = rows.reduce((a, r) => addMetrics(a, r.metrics), emptyMetrics());
  const cvRates = rates(total);

  const all = [...byArticle.values()].flat();
  const body = trainModel(all, opts);
  const model = AnswerModel.fromBody({
    ...body,
    training: {
      dataSha256: await dataHash(datasets),
      articles: datasets.map((d) => d.name),
      questions: all.filter((e) => !e.offTopicFrom).length,
      trainedAt: new Date().toISOString(),
      crossValidated: Object.fromEntries(Object.entries(cvRates).filter(([k]) => k !== 'msPerQuestion').map(([k, v]) => [k, Math.round(v * 1000) / 1000])),
    },
  });
  await mkdir(dirname(out), { recursive: true });
  await writeFile(`${out}.tmp`, JSON.stringify(model.toFile(), null, 1) + '\n');
  await rename(`${out}.tmp`, out);

  if (flags.has('json')) {
    process.stdout.write(JSON.stringify({ crossValidated: { total: cvRates, articles: rows.map((r) => ({ name: r.name, ...rates(r.metrics) })) }, weights: out }) + '\n');
  } else {
    process.stdout.write(`Cross-validated by article (each article decided by a model trained on the others):\n`);
    process.stdout.write(metricsTable(rows, total, { timing: false }) + '\n');
    process.stdout.write(`Weights written to ${out} (threshold ${body.threshold.toFixed(3)}, trained on ${all.length} questions, ${all.filter((e) => e.offTopicFrom).length} of them off-topic).\n`);
  }
});
