/**
 * Question sets, scoring and training for the answer model. An article is a `<name>.txt` (one paragraph a
 * line, or the summit article's format) with its questions in `<name>.qa.jsonl`:
 *
 *   {"q", "answerable": true, "paragraph"?: n, "evidence": [gold spans]}
 *   {"q", "answerable": false, "paragraph"?: n, "plausible"?: [spans]}
 *
 * A citation is right when it is in paragraph n (when the item names one) and its quote contains a gold
 * span (case-insensitive, quotes folded, white space collapsed). Figures are reported per article and
 * cross-validated by leaving whole articles out, never on the questions a model was trained on.
 */
import { DEFAULT_READER_PATH, loadReader, type Reader } from '../reader/cross-encoder.js';
import { cachedReader } from '../reader/cached.js';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { locateUnit, type TaughtRecord } from '../taught/taught.js';
import { fileURLToPath } from 'node:url';
import { AnswerModel, calibrated, MODEL_FORMAT, MODEL_KIND, linear, mlpLogit, type Calibration, type ModelBody } from '../decision/answer-model.js';
import { sha256 } from '../article/article.js';
import type { Embedder } from '../index/embedder.js';
import { EXIT, ExitError } from '../errors.js';
import { citationRight, parseEvalSet, type EvalItem, type Outcome } from './evaluate.js';
import { ANSWERABLE_FEATURES, RANKER_FEATURES } from '../candidates/features.js';
import { openRetriever } from '../footnote.js';
import { fitLogistic, fitMlp, fitRanker } from './learn.js';
import type { Names } from '../language/names.js';
import { analyse, type Analysis } from '../language/nlp.js';
import { rewrites, type RewriteCause } from './rewrites.js';
import type { Retrieval } from '../candidates/types.js';
import { answerableFeatures } from '../decision/answerable-features.js';

export interface Dataset {
  name: string;
  articlePath: string;
  /** Question files, for the data hash. */
  questionPaths: string[];
  items: EvalItem[];
  /** How much its questions count in training (default 1). */
  weight?: number;
  /** Questions that come from no file (taught answers from the store), as text for the data hash. */
  extra?: string;
}

/**
 * The project's own questions count this many times a SQuAD question in training: they are news
 * questions about the article the bot serves, and there are few of them (80 against 4,314).
 */
export const OWN_DATA_WEIGHT = 5;

/**
 * Where the SQuAD articles are read from by default: the shared folder beside the project root. They are
 * third-party data, so the project commits none of them (`npm run squad-convert` makes such a folder from
 * the official SQuAD 2.0 JSON).
 */
export const DEFAULT_SQUAD_DIR = resolve(fileURLToPath(new URL('../..', import.meta.url)), '..', 'shared', 'squad');

/** Every `<name>.txt` in `dir` that has a `<name>.qa.jsonl` beside it, in name order. */
export async function loadDatasets(dir: string): Promise<Dataset[]> {
  const names = (await readdir(dir)).filter((f) => f.endsWith('.qa.jsonl')).map((f) => basename(f, '.qa.jsonl')).sort();
  const out: Dataset[] = [];
  for (const name of names) {
    const qaPath = join(dir, `${name}.qa.jsonl`);
    out.push({ name, articlePath: join(dir, `${name}.txt`), questionPaths: [qaPath], items: parseEvalSet(await readFile(qaPath, 'utf8'), qaPath) });
  }
  return out;
}

/**
 * The SQuAD datasets of `dir`, or one line naming the folder and the option when it is missing or holds
 * no article (exit 66). `how` is the command line that takes another folder.
 */
export async function loadSquad(dir: string, how: string): Promise<Dataset[]> {
  const isDir = await stat(dir).then((s) => s.isDirectory(), () => false);
  if (!isDir) throw new ExitError(`The SQuAD folder ${dir} is missing: give one with \`${how}\` (\`npm run squad-convert\` makes it from the official SQuAD 2.0 JSON).`, EXIT.noInput);
  const datasets = await loadDatasets(dir);
  if (datasets.length === 0) throw new ExitError(`The SQuAD folder ${dir} has no <name>.txt with a <name>.qa.jsonl beside it: give another with \`${how}\`.`, EXIT.noInput);
  return datasets;
}

/** The project's own question files the model is fitted on: the development and team sets, and the fit half of the natural set. */
export const OWN_TRAINING_SETS = ['data/eval/dev-qa.jsonl', 'data/eval/team-qa.jsonl', 'data/eval/natural-fit.jsonl'];

/** The held-out half of the project's natural-question set: reported, never fitted or tuned on. */
export const OWN_HELD_OUT_SET = 'data/eval/natural-held.jsonl';

/**
 * The chat-typed set (misspellings, shorthand, capitals, gist questions): the fit half is what the chat
 * reading was tried on; the held-out half is only reported. Neither is in the model's training data.
 */
export const CHAT_FIT_SET = 'data/eval/chat-fit.jsonl';
export const CHAT_HELD_OUT_SET = 'data/eval/chat-held.jsonl';

/** The project's own article with the question sets it is fitted on (never the held-out halves). */
export async function summitDataset(root = '.'): Promise<Dataset> {
  const questionPaths = OWN_TRAINING_SETS.map((p) => join(root, p));
  const items: EvalItem[] = [];
  for (const p of questionPaths) items.push(...parseEvalSet(await readFile(p, 'utf8'), p));
  return { name: 'summit', articlePath: join(root, 'data/article.txt'), questionPaths, items, weight: OWN_DATA_WEIGHT };
}

/**
 * Taught answers (from the store) as own training questions: a taught passage is an answerable question
 * whose evidence is each cited sentence; a taught refusal an unanswerable one. Those whose quotes the
 * article no longer holds are left out (counted).
 */
export function taughtItems(taught: readonly TaughtRecord[], articleText: string): { items: EvalItem[]; skipped: number } {
  const items: EvalItem[] = [];
  let skipped = 0;
  for (const t of taught) {
    if (t.refuse) items.push({ q: t.question, answerable: false });
    else if (t.units.length && t.units.every((u) => locateUnit(articleText, u))) items.push({ q: t.question, answerable: true, evidence: t.units.map((u) => u.quote) });
    else skipped++;
  }
  return { items, skipped };
}

/** sha256 over every article and question file, in dataset order. */
export async function dataHash(datasets: readonly Dataset[]): Promise<string> {
  const parts: string[] = [];
  for (const d of datasets) {
    parts.push(d.name, sha256(await readFile(d.articlePath)));
    for (const p of d.questionPaths) parts.push(sha256(await readFile(p)));
    if (d.extra) parts.push(sha256(d.extra));
  }
  return sha256(parts.join('\n'));
}

export interface Example {
  item: EvalItem;
  retrieval: Retrieval;
  /** Per candidate: holds the answer. */
  labels: boolean[];
  /**
   * Set on an off-topic example: a question of another article (named here) asked of this one, which
   * this article does not answer. SQuAD's unanswerable questions are all on-topic; these teach the
   * model what an off-topic question looks like. Used for training only, never scored.
   */
  offTopicFrom?: string;
  /** Set on an unanswerable question rewritten from an answerable one of the same article (`rewrites.ts`): training only. */
  rewrite?: RewriteCause;
  /** Training weight, the dataset's. */
  weight: number;
}

let reading: Promise<Reader> | undefined;

/** The committed reader with its logits remembered under `var/cache` (training and the benchmark read the same pairs again). */
export function trainingReader(): Promise<Reader> {
  reading ??= loadReader(DEFAULT_READER_PATH).then((r) => cachedReader(r, 'var/cache'));
  return reading;
}

/** Whether an example is made up for training (off-topic or rewritten), not a question of the data. */
export function synthetic(e: Example): boolean {
  return e.offTopicFrom !== undefined || e.rewrite !== undefined;
}

/** How many answerable questions of each article are rewritten into unanswerable ones (all of a smaller set). */
export const REWRITES_PER_ARTICLE = 80;

/** Retrieves every question of a dataset (index built or reused under `indexRoot/<name>`). */
export async function collect(dataset: Dataset, embedder: Embedder, indexRoot: string, offTopic: readonly OffTopic[] = [], opts: { rewrite?: boolean; reader?: null } = {}): Promise<Example[]> {
  const reader = opts.reader === null ? null : await trainingReader();
  const { retriever, loaded } = await openRetriever({ articlePath: dataset.articlePath, indexDir: join(indexRoot, dataset.name), embedder, reader });
  const out: Example[] = [];
  for (const item of dataset.items) {
    const retrieval = await retriever.retrieve(item.q);
    const labels = retrieval.candidates.map((c) => citationRight(item, { paragraph: c.sentence.paragraph, quote: c.sentence.text }));
    out.push({ item, retrieval, labels, weight: dataset.weight ?? 1 });
  }
  for (const { q, from } of offTopic) {
    const retrieval = await retriever.retrieve(q);
    out.push({ item: { q, answerable: false }, retrieval, labels: retrieval.candidates.map(() => false), offTopicFrom: from, weight: 1 });
  }
  const names: Names = { people: [], places: [], organizations: [] };
  for (const a of loaded.linguistics.analysis) for (const k of Object.keys(names) as (keyof Names)[]) names[k].push(...(a.names?.[k] ?? []));
  const context = { names, antonyms: loaded.linguistics.antonyms ?? {} };
  const answerable = dataset.items.filter((i) => i.answerable);
  const step = Math.max(1, answerable.length / REWRITES_PER_ARTICLE);
  for (let k = 0; opts.rewrite !== false && k < answerable.length; k += step) {
    for (const { q, cause } of rewrites(answerable[Math.floor(k)]!.q, context, Math.floor(k))) {
      const retrieval = await retriever.retrieve(q);
      out.push({ item: { q, answerable: false }, retrieval, labels: retrieval.candidates.map(() => false), rewrite: cause, weight: 1 });
    }
  }
  return out;
}

export interface OffTopic {
  q: string;
  from: string;
}

/**
 * Off-topic training questions for each dataset, deterministic and spread over the other datasets:
 * - `perArticle` questions of other articles, asked as they are;
 * - `perArticle` of the dataset's own answerable questions with one noun swapped for a noun of another
 *   article's question ("When did Russia sell Alaska?" → "When did Russia sell Newton?").
 */
export function offTopicQuestions(datasets: readonly Dataset[], perArticle = 100): Map<string, OffTopic[]> {
  const out = new Map<string, OffTopic[]>();
  datasets.forEach((d, di) => {
    const others = datasets.filter((o) => o !== d);
    const picked: OffTopic[] = [];
    const own = d.items.filter((i) => i.answerable);
    for (let k = 0; k < perArticle && others.length; k++) {
      const o = others[(k + di) % others.length]!;
      const item = o.items[(k * 7919 + di * 104729) % o.items.length];
      if (item) picked.push({ q: item.q, from: o.name });
      const base = own[(k * 3571 + di) % own.length];
      if (base && item) {
        const swapped = swapNoun(base.q, item.q);
        if (swapped) picked.push({ q: swapped, from: o.name });
      }
    }
    out.set(d.name, picked);
  });
  return out;
}

/** `question` with its last noun replaced by the last noun of `donor` that it does not use; undefined when either has none. */
export function swapNoun(question: string, donor: string): string | undefined {
  const q = analyse(question);
  const dn = analyse(donor);
  const isNoun = (a: Analysis, i: number) => (a.pos[i] === 'NOUN' || a.pos[i] === 'PROPN') && /^[\p{L}-]{3,}$/u.test(a.tokens[i]!);
  const target = [...q.content].reverse().find((i) => isNoun(q, i));
  const replacement = [...dn.content].reverse().find((i) => isNoun(dn, i) && !q.lemmas.includes(dn.lemmas[i]!));
  if (target === undefined || replacement === undefined) return undefined;
  const word = q.tokens[target]!;
  const at = question.search(new RegExp(`(?<![\\p{L}])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}])`, 'iu'));
  if (at < 0) return undefined;
  return question.slice(0, at) + donor.slice(...span(donor, dn.tokens[replacement]!)) + question.slice(at + word.length);
}

/** Where a (lower-case) token stands in a text, as written. */
function span(text: string, token: string): [number, number] {
  const at = text.toLowerCase().indexOf(token);
  return at < 0 ? [0, 0] : [at, at + token.length];
}

export interface TrainOptions {
  embeddingModel: string;
  /** The reader's id (`Reader.id`), recorded with the weights. */
  readerModel?: string;
  /** The confidence model: logistic regression (default) or a small MLP. */
  confidence?: 'linear' | 'mlp';
  extraThreshold?: number;
  maxSentences?: number;
  l2?: number;
}

/**
 * Fits the ranker, then the confidence model on the ranker's output, then sets the refusal threshold.
 *
 * The confidence model is a logistic regression of "the best candidate is a right answer": an unanswerable
 * question, or an answerable one whose best candidate is wrong, are the negatives. So the confidence is
 * the probability that the answer shown is right, and refusing below it refuses the answers likely to be
 * wrong, not only the questions likely to be unanswerable. The threshold (`bestThreshold`) is set on the
 * training questions of the data (not the made-up ones): it serves the first-stage fold models only. The
 * committed model's calibration and bands come from the second stage's out-of-fold scores
 * (`second-stage-fit.ts`, `cutBands`).
 */
export function trainModel(examples: readonly Example[], opts: TrainOptions): Omit<ModelBody, 'training'> {
  const { extraThreshold = 0.35, maxSentences = 3, l2 = 1e-3 } = opts;
  const answerable = examples.filter((e) => e.item.answerable);
  const ranker = fitRanker(
    answerable.map((e) => ({ features: e.retrieval.candidates.map((c) => c.features), labels: e.labels, weight: e.weight })),
    RANKER_FEATURES.length,
    { l2 },
  );
  const scored = examples.map((e) => {
    const logits = e.retrieval.candidates.map((c) => linear(ranker, c.features));
    const order = logits.map((_, i) => i).sort((a, b) => logits[b]! - logits[a]! || a - b);
    return { row: answerableFeatures(e.retrieval, logits, order), right: e.item.answerable && order.length > 0 && e.labels[order[0]!]! };
  });
  const confidence = fitLogistic(scored.map((s) => s.row), scored.map((s) => s.right), ANSWERABLE_FEATURES.length, { l2, weights: examples.map((e) => e.weight) });
  const mlp = opts.confidence === 'mlp' ? fitMlp(scored.map((s) => s.row), scored.map((s) => s.right), ANSWERABLE_FEATURES.length, { weights: examples.map((e) => e.weight) }) : undefined;
  const raw = (row: number[]) => (mlp ? mlpLogit(mlp, row) : linear(confidence, row));
  const real = examples.map((e, i) => ({ e, i })).filter(({ e }) => !synthetic(e));
  const threshold = bestThreshold(real.map(({ e, i }) => ({ z: raw(scored[i]!.row), answerable: e.item.answerable, right: scored[i]!.right, weight: e.weight })), IDENTITY);
  return {
    format: MODEL_FORMAT,
    kind: MODEL_KIND,
    embeddingModel: opts.embeddingModel,
    ...(opts.readerModel ? { readerModel: opts.readerModel } : {}),
    features: { ranker: [...RANKER_FEATURES], answerable: [...ANSWERABLE_FEATURES] },
    ranker,
    answerable: confidence,
    ...(mlp ? { confidenceMlp: mlp } : {}),
    calibration: IDENTITY,
    threshold,
    extraThreshold,
    maxSentences,
  };
}

const IDENTITY: Calibration = { a: 1, b: 0 };

/** A question's raw confidence score, whether answering it gives a right answer, and its weight. */
export interface ScoredQuestion {
  /** The confidence model's logit. */
  z: number;
  answerable: boolean;
  /** Answerable and the best candidate holds the answer. */
  right: boolean;
  weight: number;
}

/**
 * The threshold on the calibrated confidence of best accuracy, SQuAD 2.0's measure: an answerable question
 * counts when its answer is right, an unanswerable one when it is refused. (Counting every wrong answer
 * shown against a refusal instead, which answers only when an answer is more likely right than wrong,
 * refused about a third of the answerable own questions while the features were built.) Ties go to the
 * lower threshold (answer more).
 */
export function bestThreshold(questions: readonly ScoredQuestion[], calibration: Calibration): number {
  const sorted = questions.map((q) => ({ ...q, p: calibrated(calibration, q.z) })).sort((a, b) => b.p - a.p);
  // Answer nothing: every unanswerable question counts.
  let score = sorted.reduce((s, q) => s + (q.answerable ? 0 : q.weight), 0);
  let best = score;
  let threshold = sorted.length ? Math.min(1, sorted[0]!.p + 1e-9) : 0.5;
  sorted.forEach((q, i) => {
    score += (q.right ? q.weight : 0) - (q.answerable ? 0 : q.weight);
    const next = sorted[i + 1];
    if (next !== undefined && next.p === q.p) return;
    if (score >= best) {
      best = score;
      threshold = next ? (q.p + next.p) / 2 : q.p;
    }
  });
  return Math.min(1, Math.max(0, threshold));
}

/** Platt scaling: the logistic fit of "right" on the raw logit, so a shown 0.8 is right about 80% of the time. */
export function fitCalibration(questions: readonly ScoredQuestion[]): Calibration {
  const l = fitLogistic(questions.map((q) => [q.z]), questions.map((q) => q.right), 1, { l2: 1e-4, iterations: 400, weights: questions.map((q) => q.weight) });
  // w·((z − mean) / scale) + bias, written as a·z + b.
  const a = l.weights[0]! / l.scale[0]!;
  return { a, b: l.bias - a * l.mean[0]! };
}

/** Outcome of a question under a model, without going through `Footnote` (for cross-validating quickly). */
export function outcomeOfDecision(e: Example, model: AnswerModel): Outcome {
  const d = model.decide(e.retrieval);
  const citationsRight = d.chosen.map((i) => e.labels[i]!);
  const alternativesRight = d.band === 'likely' ? d.order.slice(1, 3).map((i) => e.labels[i]!) : [];
  const closestRight = !d.answer && d.order.slice(0, 3).some((i) => e.labels[i]!);
  return { item: e.item, answered: d.answer, band: d.band, citationsRight, alternativesRight, closestRight, confidence: d.answerable, topRight: d.order.length > 0 && e.labels[d.order[0]!]!, ms: 0 };
}

/**
 * Every training question of the SQuAD articles of `dir` and of the summit's fitted sets, retrieved (the
 * indexes under `var/cache/index`), with off-topic and rewritten unanswerable questions for training.
 */
export async function collectTraining(datasets: readonly Dataset[], embedder: Embedder, log: (line: string) => void): Promise<Map<string, Example[]>> {
  const offTopic = offTopicQuestions(datasets);
  const byArticle = new Map<string, Example[]>();
  for (const d of datasets) {
    log(`Retrieving ${d.items.length} questions of ${d.name}…`);
    byArticle.set(d.name, await collect(d, embedder, 'var/cache/index', offTopic.get(d.name)));
  }
  return byArticle;
}

/**
 * Risk–coverage: answering the questions whose confidence is at least t, for every t; each point is the
 * share answered and the accuracy of the answered (an answerable question answered with a right first
 * citation is right; an unanswerable one answered is wrong).
 */
export function riskCoverage(outcomes: readonly Outcome[]): { coverage: number; accuracy: number; threshold: number }[] {
  const sorted = [...outcomes].sort((a, b) => b.confidence - a.confidence);
  const points: { coverage: number; accuracy: number; threshold: number }[] = [];
  let right = 0;
  sorted.forEach((o, i) => {
    if (o.item.answerable && o.topRight) right++;
    const next = sorted[i + 1];
    if (next === undefined || next.confidence !== o.confidence) {
      points.push({ coverage: (i + 1) / sorted.length, accuracy: right / (i + 1), threshold: o.confidence });
    }
  });
  return points;
}
