/**
 * Fitting the second stage (`src/decision/second-stage.ts`) and cutting the bands.
 *
 * The second stage must learn from first-stage lists like the ones it will see: lists of questions the
 * first stage never saw. So every training question's top-k list comes from a first-stage model fitted
 * without it: without its whole article for SQuAD, without its half of the own questions for the summit
 * (`firstStageFolds`). The second stage is then cross-validated the same way (each group decided by a
 * scorer fitted on the others), and the calibration and the bands are set on those out-of-fold scores.
 */
import { AnswerModel, calibrated, type Calibration, type SecondStageModel } from '../decision/answer-model.js';
import { foundScore, SECOND_STAGE_FEATURES, SECOND_STAGE_K, secondStageRows } from '../decision/second-stage.js';
import { citationRight, holdsEvidence, type EvalItem, type Outcome } from './evaluate.js';
import { fitLogistic, fitMlp } from './learn.js';
import { fitCalibration, synthetic, trainModel, type Example, type TrainOptions } from './benchmark.js';
import { scorerLogit, type Linear, type Mlp } from '../decision/answer-model.js';

/** One question's top-k list under a first-stage model that never saw it. */
export interface StageExample {
  /** The cross-validation group: an article, or a half of the own questions ("summit:0"). */
  group: string;
  /** The article the question is about. */
  article: string;
  example: Example;
  /** Candidate indexes of the list, first stage's order. */
  ids: number[];
  rows: number[][];
  labels: boolean[];
  /** Per row: the candidate holds the span a careless reader would cite (SQuAD's `plausible`). */
  plausible: boolean[];
}

export interface StageFitOptions {
  l2?: number;
  /** How much a candidate holding an unanswerable question's plausible span counts as a negative (default 2). */
  plausibleWeight?: number;
  /** Features (by name prefix) set to 0: an ablation. */
  without?: readonly string[];
  /** The scorer: logistic regression (default) or a one-hidden-layer MLP with `hidden` units. */
  learner?: 'linear' | 'mlp';
  hidden?: number;
}

/** A fitted scorer: linear, or an MLP over the same features. */
export type Scorer = Linear | Mlp;



/**
 * The first-stage models that decide each question out of fold: for each article, one fitted on the other
 * articles; for the own article (`own`), `folds` models, each fitted on everything but its fold.
 */
export function firstStageFolds(byArticle: ReadonlyMap<string, Example[]>, own: string, opts: TrainOptions, folds = 2): { group: string; article: string; examples: Example[]; model: AnswerModel }[] {
  const out: { group: string; article: string; examples: Example[]; model: AnswerModel }[] = [];
  const fold = (train: readonly Example[]) => AnswerModel.fromBody({ ...trainModel(train, opts), training: { dataSha256: '', articles: [], questions: train.length, trainedAt: '' } });
  for (const [name, held] of byArticle) {
    if (name === own) continue;
    const train = [...byArticle].filter(([n]) => n !== name).flatMap(([, ex]) => ex.filter((e) => e.offTopicFrom !== name));
    out.push({ group: name, article: name, examples: held, model: fold(train) });
  }
  const mine = byArticle.get(own) ?? [];
  const others = [...byArticle].filter(([n]) => n !== own).flatMap(([, ex]) => ex);
  for (let f = 0; f < folds && mine.length; f++) {
    out.push({ group: `${own}:${f}`, article: own, examples: mine.filter((_, i) => i % folds === f), model: fold([...others, ...mine.filter((_, i) => i % folds !== f)]) });
  }
  return out;
}

/** The second stage's rows of one example under a first-stage model (one without a second stage). */
export function stageExample(group: string, article: string, e: Example, firstStage: AnswerModel, k = SECOND_STAGE_K): StageExample {
  const d = firstStage.decide(e.retrieval);
  const { ids, rows } = secondStageRows(e.retrieval, d.logits, d.order, d.firstStageLogit, e.retrieval.knowledge, k);
  const plausibleSpans = !e.item.answerable ? (e.item.plausible ?? []) : [];
  return {
    group,
    article,
    example: e,
    ids,
    rows,
    labels: ids.map((i) => e.labels[i]!),
    plausible: ids.map((i) => plausibleSpans.length > 0 && holdsEvidence(e.retrieval.candidates[i]!.sentence.text, plausibleSpans)),
  };
}

const columnsWithout = (without: readonly string[] = []) => SECOND_STAGE_FEATURES.map((f, i) => (without.some((p) => f.startsWith(p)) ? i : -1)).filter((i) => i >= 0);

/** Fits the scorer: logistic regression of "this candidate answers" over every row of every list. */
export function fitScorer(examples: readonly StageExample[], opts: StageFitOptions = {}): Scorer {
  const { l2 = 1e-3, plausibleWeight = 2 } = opts;
  const dropped = columnsWithout(opts.without);
  const rows: number[][] = [];
  const labels: boolean[] = [];
  const weights: number[] = [];
  for (const s of examples) {
    s.rows.forEach((row, j) => {
      rows.push(dropped.length ? row.map((x, c) => (dropped.includes(c) ? 0 : x)) : row);
      labels.push(s.labels[j]!);
      weights.push(s.example.weight * (s.plausible[j] ? plausibleWeight : 1));
    });
  }
  if (opts.learner === 'mlp') return fitMlp(rows, labels, SECOND_STAGE_FEATURES.length, { weights, hidden: opts.hidden ?? 16, l2: 1e-4, iterations: 300, rate: 0.02 });
  return fitLogistic(rows, labels, SECOND_STAGE_FEATURES.length, { l2, weights, iterations: 300 });
}

/** One question's out-of-fold second-stage scores: its list re-ranked, best first. */
export interface StageScore {
  s: StageExample;
  /** Positions in `s.ids`, best first by the second stage. */
  order: number[];
  scores: number[];
}

export function scoreStage(s: StageExample, scorer: Scorer): StageScore {
  const z = s.rows.map((row) => scorerLogit(scorer, row));
  const order = z.map((_, j) => j).sort((a, b) => z[b]! - z[a]! || a - b);
  return { s, order, scores: order.map((j) => z[j]!) };
}

/** Leave-one-group-out: each group's lists scored by a scorer fitted on the other groups (returned by group). */
export function crossValidateStage(examples: readonly StageExample[], opts: StageFitOptions = {}): { scores: StageScore[]; scorers: Map<string, Scorer> } {
  const groups = [...new Set(examples.map((s) => s.group))];
  const scorers = new Map<string, Scorer>();
  const scores = groups.flatMap((g) => {
    const scorer = fitScorer(examples.filter((s) => s.group !== g), opts);
    scorers.set(g, scorer);
    return examples.filter((s) => s.group === g).map((s) => scoreStage(s, scorer));
  });
  return { scores, scorers };
}

/**
 * The whole cross-validation: first-stage folds, the second stage's lists, its leave-one-group-out
 * scores, the calibration and bands cut on the own questions' scores, and for each article the model
 * (first and second stage, at those bands) that decides it without having seen it.
 */
export function crossValidateAll(byArticle: ReadonlyMap<string, Example[]>, own: string, opts: TrainOptions, stageOpts: StageFitOptions = {}) {
  const folds = firstStageFolds(byArticle, own, opts);
  const stage = folds.flatMap((f) => f.examples.map((e) => stageExample(f.group, f.article, e, f.model)));
  const { scores, scorers } = crossValidateStage(stage, stageOpts);
  const bands = cutBands(scores, own);
  const modelFor = new Map<string, AnswerModel>();
  for (const f of folds) {
    if (f.article === own) continue;
    modelFor.set(f.article, AnswerModel.fromBody({ ...f.model.body, calibration: bands.calibration, threshold: bands.threshold, secondStage: secondStageModel(scorers.get(f.group)!, bands) }));
  }
  return { stage, scores, bands, modelFor };
}

/** Whether the first passage the second stage puts first holds the answer. */
export function topRight(x: StageScore): boolean {
  return x.s.example.item.answerable && x.order.length > 0 && x.s.labels[x.order[0]!]!;
}

/** Whether one of the first `shown` passages holds the answer. */
export function shownRight(x: StageScore, shown = 3): boolean {
  return x.s.example.item.answerable && x.order.slice(0, shown).some((j) => x.s.labels[j]!);
}

/** Platt scaling of a raw score against a truth, weighted (`fitCalibration`). */
export function platt(points: readonly { z: number; right: boolean; weight: number }[]): Calibration {
  return fitCalibration(points.map((p) => ({ ...p, answerable: p.right })));
}

export interface Bands {
  calibration: Calibration;
  found: Calibration;
  /** Lower edge of the `likely` band (the refusal threshold). */
  threshold: number;
  answer: number;
  silent: number;
}

/** The answer band's precision target on questions the model never saw. */
export const ANSWER_BAND_PRECISION = 0.95;
/** A refusal says "The article doesn't say" where at least this share of such refusals were unanswerable. */
export const SILENT_PRECISION = 0.9;


/**
 * Calibration and bands from out-of-fold scores of real questions (made-up ones are left out). The own
 * article's questions (`own`) and SQuAD's weigh the same in all: the own questions are the bot's domain,
 * SQuAD's unseen articles say whether the confidence holds elsewhere.
 * - the confidence: Platt scaling of the best score against "the first passage answers";
 * - `threshold`, the likely band's lower edge: the point of best accuracy when a question answered counts
 *   as right if one of the passages it shows (the first and the two alternatives) holds the answer, and a
 *   refused one if it is unanswerable: the likely band shows its alternatives, so they count;
 * - `answer`: the lowest confidence from which the first passages of the own questions are right at
 *   least 95% of the time;
 * - `found`: Platt scaling of `foundScore` against "one of the three passages shown answers";
 * - `silent`: the highest found-probability under which at least 90% of the questions are unanswerable.
 */
export function cutBands(scored: readonly StageScore[], own: string): Bands {
  const real = scored.filter((x) => !synthetic(x.s.example) && x.order.length > 0);
  const owned = real.filter((x) => x.s.article === own).length;
  const ownWeight = owned > 0 && owned < real.length ? (real.length - owned) / owned : 1;
  const weight = (x: StageScore) => (x.s.article === own ? ownWeight : 1);
  const calibration = platt(real.map((x) => ({ z: x.scores[0]!, right: topRight(x), weight: weight(x) })));
  const conf = real.map((x) => ({ x, p: calibrated(calibration, x.scores[0]!) })).sort((a, b) => b.p - a.p);
  let score = conf.reduce((s, c) => s + (c.x.s.example.item.answerable ? 0 : weight(c.x)), 0);
  let best = score;
  let threshold = conf.length ? Math.min(1, conf[0]!.p + 1e-9) : 0.5;
  let answer = threshold;
  let ownRight = 0;
  let ownSeen = 0;
  conf.forEach((c, i) => {
    const w = weight(c.x);
    score += (shownRight(c.x) ? w : 0) - (c.x.s.example.item.answerable ? 0 : w);
    if (c.x.s.article === own) {
      ownRight += topRight(c.x) ? 1 : 0;
      ownSeen += 1;
    }
    const next = conf[i + 1];
    if (next !== undefined && next.p === c.p) return;
    const cut = next ? (c.p + next.p) / 2 : c.p;
    if (score >= best) {
      best = score;
      threshold = cut;
    }
    if (ownSeen > 0 && ownRight / ownSeen >= ANSWER_BAND_PRECISION) answer = cut;
  });
  const foundOf = (x: StageScore) => foundScore(x.scores.map((z) => calibrated(calibration, z)));
  const found = platt(real.map((x) => ({ z: foundOf(x), right: shownRight(x), weight: weight(x) })));
  const byFound = real.map((x) => ({ x, p: calibrated(found, foundOf(x)) })).sort((a, b) => a.p - b.p);
  let silent = 0;
  let unanswerable = 0;
  let seen = 0;
  byFound.forEach((c, i) => {
    seen += weight(c.x);
    unanswerable += c.x.s.example.item.answerable ? 0 : weight(c.x);
    const next = byFound[i + 1];
    if (next !== undefined && next.p === c.p) return;
    if (unanswerable / seen >= SILENT_PRECISION) silent = next ? (c.p + next.p) / 2 : c.p;
  });
  return { calibration, found, threshold: Math.min(1, Math.max(0, threshold)), answer: Math.min(1, Math.max(threshold, answer)), silent: Math.min(1, Math.max(0, silent)) };
}

/** The second stage's part of the weights file. */
export function secondStageModel(scorer: Scorer, bands: Bands): SecondStageModel {
  return { k: SECOND_STAGE_K, features: [...SECOND_STAGE_FEATURES], scorer, found: bands.found, answer: bands.answer, silent: bands.silent };
}

/** An out-of-fold score as an `Outcome` at an operating point (the first passage only, as `npm run benchmark` counts it). */
export function stageOutcome(x: StageScore, bands: Pick<Bands, 'calibration' | 'threshold' | 'answer'>): Outcome {
  const item: EvalItem = x.s.example.item;
  const confidence = x.order.length ? calibrated(bands.calibration, x.scores[0]!) : 0;
  const answered = x.order.length > 0 && confidence >= bands.threshold;
  const band = !answered ? 'refused' : confidence >= bands.answer ? 'answer' : 'likely';
  const first = x.order[0];
  const right = first !== undefined && x.s.labels[first]!;
  return {
    item,
    answered,
    band,
    citationsRight: answered ? [right] : [],
    alternativesRight: band === 'likely' ? x.order.slice(1, 3).map((j) => x.s.labels[j]!) : [],
    confidence,
    topRight: item.answerable && right,
    closestRight: !answered && x.order.slice(0, 3).some((j) => x.s.labels[j]!),
    ms: 0,
  };
}

export { citationRight };
