/**
 * The learned answer model: two small linear models over the named features of `features.ts`.
 *
 * - The ranker scores each candidate sentence; a softmax over a question's candidates gives each one's
 *   probability of being the sentence that answers.
 * - The answerable model (logistic regression) gives the probability that the article answers the
 *   question at all; below `threshold` Footnote says the article doesn't say.
 * - A further sentence joins an answer only when its own ranker probability reaches `extraThreshold`.
 * - For a question asked after another, a follow-up gate (logistic regression) decides whether to read it
 *   in the light of the earlier turn, with context weights fitted on the follow-up set.
 *
 * Weights live in a committed JSON file (`data/model/answer-model.json`) written by `npm run train`, with
 * the hash of the data they came from. The file is loaded behind the same kind of guard as the index: a
 * damaged file, another format or another feature list is a clear error, never silent defaults.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { sha256 } from '../article/article.js';
import { ConfigurationError } from '../errors.js';
import { ANSWERABLE_FEATURES, FOLLOW_UP_FEATURES, FOLLOW_UP_RANKER_FEATURES, RANKER_FEATURES } from '../candidates/features.js';
import type { ContextWeights, Retrieval } from '../candidates/types.js';
import { answerableFeatures } from './answerable-features.js';
import { foundScore, SECOND_STAGE_FEATURES, secondStageRows } from './second-stage.js';

/**
 * What Footnote shows: `answer` (one cited answer, right at least 95% of the time on questions the model
 * never saw), `likely` (the best passage and up to two alternatives: "probably this, or one of these"),
 * `refused` (the closest passages, not an answer).
 */
export type Band = 'answer' | 'likely' | 'refused';

/** The second stage (`second-stage.ts`): a logistic scorer over the first stage's best `k` candidates. */
export interface SecondStageModel {
  k: number;
  features: string[];
  /** Logistic regression, or a small MLP, over `SECOND_STAGE_FEATURES`. */
  scorer: Linear | Mlp;
  /** Platt scaling of `foundScore`: the probability that one of the passages shown answers. */
  found: Calibration;
  /** The `answer` band's lower edge on the calibrated confidence (the `likely` band's is `threshold`). */
  answer: number;
  /** A refusal says "The article doesn't say" only when `found` is below this; otherwise "I couldn't find this". */
  silent: number;
}

export const MODEL_FORMAT = 3;
/** The committed weights. */
export const DEFAULT_MODEL_PATH = fileURLToPath(new URL('../../data/model/answer-model.json', import.meta.url));
export const MODEL_KIND = 'footnote-answer-model';

/** A linear function over standardised features: w · ((x − mean) / scale) + bias. */
export interface Linear {
  mean: number[];
  scale: number[];
  weights: number[];
  bias: number;
}

/** Platt scaling of the confidence model's logit z: confidence = sigmoid(a·z + b). */
export interface Calibration {
  a: number;
  b: number;
}

export function calibrated(c: Calibration, z: number): number {
  return sigmoid(c.a * z + c.b);
}

export interface ModelBody {
  format: number;
  kind: string;
  /** The embedding model the dense features came from. */
  embeddingModel: string;
  /** The reader (`reader/`) the `reader` features came from. */
  readerModel?: string;
  features: { ranker: string[]; answerable: string[] };
  ranker: Linear;
  /** The confidence model: logistic regression of "the best candidate is a right answer". */
  answerable: Linear;
  /**
   * When present, the confidence model is this small MLP over the same features instead of `answerable`
   * (kept because it cross-validated better; scripts/try-nonlinear.ts).
   */
  confidenceMlp?: Mlp;
  /** Platt scaling of the confidence logit (the second stage's best score, when it has one). */
  calibration: Calibration;
  /** Re-decides over the first stage's best candidates; required in a weights file, absent in first-stage fold models. */
  secondStage?: SecondStageModel;
  /**
   * Follow-ups: how much the earlier turn counts in retrieval, and the gate that decides whether a
   * question with a conversation before it is read as a follow-up or on its own (`follow-up.ts`).
   * Fitted on the follow-up set's fit half; without it, every question is read on its own.
   */
  followUp?: FollowUpModel;
  /** Refuse below this calibrated confidence (the `likely` band's lower edge). */
  threshold: number;
  extraThreshold: number;
  maxSentences: number;
  training: {
    /** sha256 over the training articles and question files, in name order. */
    dataSha256: string;
    articles: string[];
    questions: number;
    trainedAt: string;
    /** Figures from leaving whole articles out, as printed by `npm run train`. */
    crossValidated?: Record<string, number>;
  };
}

export interface FollowUpModel {
  weights: ContextWeights;
  /** Re-ranks the candidates of a follow-up reading over `FOLLOW_UP_RANKER_FEATURES` (conditional logit). */
  ranker: Linear;
  rankerFeatures: string[];
  /** Platt scaling of the confidence model's logit for questions read as follow-ups. */
  calibration: Calibration;
  features: string[];
  /** Logistic regression of "read it as a follow-up" over `FOLLOW_UP_FEATURES`. */
  gate: Linear;
  /** sha256 of the follow-up questions it was fitted on. */
  dataSha256: string;
}

export interface ModelFile extends ModelBody {
  /** sha256 of the file's JSON without this field (see `modelChecksum`). */
  sha256: string;
}

/** The weights file is missing, damaged or does not fit this code. The message names the file and the fix. */
export class AnswerModelError extends ConfigurationError {
  override readonly name = 'AnswerModelError';
}

export function modelChecksum(body: ModelBody): string {
  return sha256(JSON.stringify(body));
}

export interface Decision {
  /** Candidate indexes, best first (the second stage's order for its `k`, then the first stage's). */
  order: number[];
  /** The first stage's ranker score per candidate. */
  logits: number[];
  /** The first stage's softmax probability per candidate. */
  probs: number[];
  /** Calibrated probability that the best candidate (the first passage shown) answers. */
  answerable: number;
  /** The confidence's raw logit, before calibration (the second stage's best score when there is one). */
  logit: number;
  /** The first stage's own confidence logit. */
  firstStageLogit: number;
  /** Whether to answer (the `answer` or `likely` band). */
  answer: boolean;
  band: Band;
  /** Calibrated probability that one of the passages shown (the first three) answers. */
  found: number;
  /** The refusal can say "The article doesn't say" (`found` below the model's `silent` level). */
  silent: boolean;
  /** Candidates cited in the answer, best first (empty when refusing). */
  chosen: number[];
}

export class AnswerModel {
  private constructor(readonly body: ModelBody) {}

  static fromBody(body: ModelBody): AnswerModel {
    return new AnswerModel(body);
  }

  /** Parses and checks a weights file's text; `source` names it in errors. */
  static parse(text: string, source: string, opts: { withoutFollowUp?: boolean } = {}): AnswerModel {
    const fix = 'Restore it from git or run `npm run train`.';
    let file: ModelFile;
    try {
      file = JSON.parse(text) as ModelFile;
    } catch {
      throw new AnswerModelError(`${source} is not valid JSON. ${fix}`);
    }
    if (file === null || typeof file !== 'object' || Array.isArray(file)) throw new AnswerModelError(`${source} is not an answer model. ${fix}`);
    if (file.kind !== MODEL_KIND) throw new AnswerModelError(`${source} is not an answer model (kind ${JSON.stringify(file.kind)}). ${fix}`);
    if (file.format !== MODEL_FORMAT) throw new AnswerModelError(`${source} has format ${String(file.format)}, this code reads format ${MODEL_FORMAT}. Run \`npm run train\`.`);
    const { sha256: stated, ...body } = file;
    if (stated !== modelChecksum(body)) throw new AnswerModelError(`${source} is damaged: its checksum does not match. ${fix}`);
    const same = (a: unknown, b: readonly string[]) => Array.isArray(a) && a.length === b.length && a.every((x, i) => x === b[i]);
    if (!same(body.features?.ranker, RANKER_FEATURES) || !same(body.features?.answerable, ANSWERABLE_FEATURES)) {
      throw new AnswerModelError(`${source} was trained on other features than this code computes. Run \`npm run train\`.`);
    }
    checkLinear(body.ranker, RANKER_FEATURES.length, source, 'ranker');
    checkLinear(body.answerable, ANSWERABLE_FEATURES.length, source, 'answerable');
    if (body.confidenceMlp !== undefined) checkMlp(body.confidenceMlp, ANSWERABLE_FEATURES.length, source);
    // `npm run train -- --follow-ups` refits that part: an old one is dropped unread.
    if (opts.withoutFollowUp) delete body.followUp;
    if (body.followUp !== undefined) checkFollowUp(body.followUp, source);
    checkSecondStage(body.secondStage, source);
    if (!Number.isFinite(body.calibration?.a) || !Number.isFinite(body.calibration?.b)) throw new AnswerModelError(`${source}: the calibration is malformed (finite a and b expected). Run \`npm run train\`.`);
    for (const key of ['threshold', 'extraThreshold'] as const) {
      if (!Number.isFinite(body[key]) || body[key] < 0 || body[key] > 1) throw new AnswerModelError(`${source}: ${key} must be a number from 0 to 1. ${fix}`);
    }
    if (!Number.isInteger(body.maxSentences) || body.maxSentences < 1) throw new AnswerModelError(`${source}: maxSentences must be a positive integer. ${fix}`);
    return new AnswerModel(body);
  }

  static async load(path: string, opts: { withoutFollowUp?: boolean } = {}): Promise<AnswerModel> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new AnswerModelError(`Answer model ${path} ${code === 'ENOENT' ? 'does not exist' : `can't be read (${code})`}. Restore it from git or run \`npm run train\`.`);
    }
    return AnswerModel.parse(text, `Answer model ${path}`, opts);
  }

  toFile(): ModelFile {
    return { ...this.body, sha256: modelChecksum(this.body) };
  }

  get threshold(): number {
    return this.body.threshold;
  }

  get embeddingModel(): string {
    return this.body.embeddingModel;
  }

  get readerModel(): string | undefined {
    return this.body.readerModel;
  }

  get followUp(): FollowUpModel | undefined {
    return this.body.followUp;
  }

  /** The probability that a question is a follow-up to the turn before it, from `FOLLOW_UP_FEATURES` values. */
  followUpProbability(x: readonly number[]): number {
    return this.body.followUp ? sigmoid(linear(this.body.followUp.gate, x)) : 0;
  }

  /**
   * Ranks the candidates and decides to answer or refuse. A question read as a follow-up has its own
   * calibration and threshold (`FollowUpModel`); by default the model's.
   */
  decide(r: Retrieval, opts: { threshold?: number; calibration?: Calibration; ranker?: Linear } = {}): Decision {
    const threshold = opts.threshold ?? this.body.threshold;
    const calibration = opts.calibration ?? this.body.calibration;
    const ranker = opts.ranker;
    const logits = r.candidates.map((c) => {
      const own = linear(this.body.ranker, c.features);
      return ranker && c.context ? linear(ranker, [own, ...c.context]) : own;
    });
    const firstOrder = logits.map((_, i) => i).sort((a, b) => logits[b]! - logits[a]! || a - b);
    const max = logits.length ? logits[firstOrder[0]!]! : 0;
    const exps = logits.map((l) => Math.exp(l - max));
    const z = exps.reduce((a, b) => a + b, 0);
    const probs = exps.map((e) => e / z);
    const x = answerableFeatures(r, logits, firstOrder);
    const firstStageLogit = this.body.confidenceMlp ? mlpLogit(this.body.confidenceMlp, x) : linear(this.body.answerable, x);
    const second = this.secondStage(r, logits, firstOrder, firstStageLogit);
    const order = second ? [...second.order, ...firstOrder.slice(second.order.length)] : firstOrder;
    const logit = second ? second.logit : firstStageLogit;
    const answerable = order.length ? calibrated(calibration, logit) : 0;
    const ss = this.body.secondStage;
    const band: Band = order.length === 0 || answerable < threshold ? 'refused' : ss && answerable >= ss.answer ? 'answer' : ss ? 'likely' : 'answer';
    const answer = band !== 'refused';
    const found = second && ss ? calibrated(ss.found, foundScore(second.scores.map((s) => calibrated(calibration, s)))) : answerable;
    const chosen: number[] = [];
    if (answer) {
      chosen.push(order[0]!);
      // Further sentences join only a sure answer, when the first stage also gives each a good share.
      for (const i of band === 'answer' ? order.slice(1) : []) {
        if (chosen.length >= this.body.maxSentences || probs[i]! < this.body.extraThreshold) break;
        chosen.push(i);
      }
    }
    return { order, logits, probs, answerable, logit, firstStageLogit, answer, band, found, silent: found < (ss?.silent ?? 1), chosen };
  }

  /** The second stage's order of the first stage's best candidates, its scores in that order, and the best score. */
  secondStage(r: Retrieval, logits: readonly number[], order: readonly number[], firstStageLogit: number): { order: number[]; scores: number[]; logit: number } | undefined {
    const ss = this.body.secondStage;
    if (!ss || order.length === 0) return undefined;
    const { ids, rows } = secondStageRows(r, logits, order, firstStageLogit, r.knowledge, ss.k);
    const scored = ids.map((id, j) => ({ id, score: scorerLogit(ss.scorer, rows[j]!), j })).sort((a, b) => b.score - a.score || a.j - b.j);
    return { order: scored.map((s) => s.id), scores: scored.map((s) => s.score), logit: scored[0]!.score };
  }
}

function checkLinear(l: Linear | undefined, n: number, source: string, name: string): void {
  const ok =
    l !== undefined &&
    [l.mean, l.scale, l.weights].every((v) => Array.isArray(v) && v.length === n && v.every(Number.isFinite)) &&
    l.scale.every((s) => s > 0) &&
    Number.isFinite(l.bias);
  if (!ok) throw new AnswerModelError(`${source}: the ${name} weights are malformed (${n} finite values each expected). Run \`npm run train\`.`);
}

function checkSecondStage(ss: SecondStageModel | undefined, source: string): void {
  if (ss === undefined) throw new AnswerModelError(`${source} has no second stage. Run \`npm run train\`.`);
  const same = Array.isArray(ss.features) && ss.features.length === SECOND_STAGE_FEATURES.length && ss.features.every((x, i) => x === SECOND_STAGE_FEATURES[i]);
  if (!same) throw new AnswerModelError(`${source}: the second stage was trained on other features than this code computes. Run \`npm run train\`.`);
  if (!Number.isInteger(ss.k) || ss.k < 1) throw new AnswerModelError(`${source}: the second stage's k must be a positive integer. Run \`npm run train\`.`);
  if ('params' in ss.scorer) checkMlp(ss.scorer, SECOND_STAGE_FEATURES.length, source, 'second-stage MLP');
  else checkLinear(ss.scorer, SECOND_STAGE_FEATURES.length, source, 'second-stage');
  const finite = [ss.found?.a, ss.found?.b].every(Number.isFinite) && [ss.answer, ss.silent].every((v) => Number.isFinite(v) && v >= 0 && v <= 1);
  if (!finite) throw new AnswerModelError(`${source}: the second stage's calibration or bands are malformed. Run \`npm run train\`.`);
}

function checkFollowUp(f: FollowUpModel, source: string): void {
  const same = Array.isArray(f.features) && f.features.length === FOLLOW_UP_FEATURES.length && f.features.every((x, i) => x === FOLLOW_UP_FEATURES[i]);
  if (!same) throw new AnswerModelError(`${source}: the follow-up gate was trained on other features than this code computes. Run \`npm run train\`.`);
  checkLinear(f.gate, FOLLOW_UP_FEATURES.length, source, 'follow-up gate');
  const sameRanker = Array.isArray(f.rankerFeatures) && f.rankerFeatures.length === FOLLOW_UP_RANKER_FEATURES.length && f.rankerFeatures.every((x, i) => x === FOLLOW_UP_RANKER_FEATURES[i]);
  if (!sameRanker) throw new AnswerModelError(`${source}: the follow-up re-ranker was trained on other features than this code computes. Run \`npm run train\`.`);
  checkLinear(f.ranker, FOLLOW_UP_RANKER_FEATURES.length, source, 'follow-up re-ranker');
  if (!Number.isFinite(f.calibration?.a) || !Number.isFinite(f.calibration?.b)) throw new AnswerModelError(`${source}: the follow-up calibration is malformed (finite a and b expected). Run \`npm run train\`.`);
  const w = f.weights;
  if (![w?.termWeight, w?.nameWeight, w?.replacedNameWeight, w?.questionWeight, w?.citedWeight].every((v) => Number.isFinite(v) && v! >= 0) || !(w.threshold >= 0 && w.threshold <= 1)) {
    throw new AnswerModelError(`${source}: the follow-up weights are malformed (term, name, question and cited weights ≥ 0 and a threshold from 0 to 1 expected). Run \`npm run train\`.`);
  }
}

function checkMlp(m: Mlp, n: number, source: string, name = 'confidence MLP'): void {
  const ok =
    Number.isInteger(m.hidden) &&
    m.hidden > 0 &&
    [m.mean, m.scale].every((v) => Array.isArray(v) && v.length === n && v.every(Number.isFinite)) &&
    m.scale.every((s) => s > 0) &&
    Array.isArray(m.params) &&
    m.params.length === m.hidden * n + 2 * m.hidden + 1 &&
    m.params.every(Number.isFinite);
  if (!ok) throw new AnswerModelError(`${source}: the ${name} is malformed (${n} features). Run \`npm run train\`.`);
}

export function linear(l: Linear, x: readonly number[]): number {
  let s = l.bias;
  for (let i = 0; i < x.length; i++) s += l.weights[i]! * ((x[i]! - l.mean[i]!) / l.scale[i]!);
  return s;
}

/** The second stage's score of one row: a linear scorer's or an MLP's. */
export function scorerLogit(scorer: Linear | Mlp, row: readonly number[]): number {
  return 'params' in scorer ? mlpLogit(scorer, row) : linear(scorer, row);
}

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** A one-hidden-layer perceptron over standardised features: logit = v · tanh(W x + c) + d. */
export interface Mlp {
  mean: number[];
  scale: number[];
  hidden: number;
  /** hidden × width, row by row, then c (hidden), then v (hidden), then d. */
  params: number[];
}

export function mlpLogit(m: Mlp, x: readonly number[]): number {
  const width = m.mean.length;
  const p = m.params;
  let z = p[p.length - 1]!;
  for (let k = 0; k < m.hidden; k++) {
    let s = p[m.hidden * width + k]!;
    for (let j = 0; j < width; j++) s += p[k * width + j]! * ((x[j]! - m.mean[j]!) / m.scale[j]!);
    z += p[m.hidden * width + m.hidden + k]! * Math.tanh(s);
  }
  return z;
}
