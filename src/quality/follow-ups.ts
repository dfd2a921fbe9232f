/**
 * Follow-up questions: scoring a conversation set and fitting the follow-up part of the answer model.
 *
 * A follow-up set is the evaluation format with `"after": [earlier questions]` (asked first, in order,
 * each in the light of the turns before it) and `"change": true` on a question that changes the subject,
 * which is right only when answered exactly as it is alone.
 *
 * Fitting (`npm run train`) sets, on the fit half only:
 * - the context weights (`ContextWeights`), by coordinate ascent: the most follow-ups whose best candidate
 *   holds the answer;
 * - a re-ranker over the candidates' relation to the earlier turn, and the follow-up reading's own
 *   calibration (its bands are the model's: the refusal threshold is the likely band's edge);
 * - the gate: logistic regression of "read as a follow-up" over `FOLLOW_UP_FEATURES`, with the fit half's
 *   follow-ups as positives, and its subject changes and the own question sets' stand-alone questions
 *   (each asked after the question before it in its file) as negatives, the two classes weighted equally.
 */
import { readFile } from 'node:fs/promises';
import { sha256 } from '../article/article.js';
import { Answerer, type AskResult } from '../answer/answer.js';
import { AnswerModel, linear, type FollowUpModel, type Linear } from '../decision/answer-model.js';
import { fitCalibration } from './benchmark.js';
import { FOLLOW_UP_FEATURES, FOLLOW_UP_RANKER_FEATURES } from '../candidates/features.js';
import { turnOf, type ConversationTurn } from '../conversation/follow-up.js';
import type { ContextWeights } from '../candidates/retrieval.js';
import { citationRight, parseEvalSet, type EvalItem } from './evaluate.js';
import { fitLogistic, fitRanker, type RankGroup } from './learn.js';

export const FOLLOW_UP_FIT_SET = 'data/eval/follow-ups-fit.jsonl';
/** Never fitted or tuned on. */
export const FOLLOW_UP_HELD_SET = 'data/eval/follow-ups-held.jsonl';

export type Ask = (question: string, conversation: readonly ConversationTurn[]) => Promise<AskResult>;

/** The turns of the earlier questions, each asked in the light of the ones before it. */
export async function conversationOf(ask: Ask, after: readonly string[]): Promise<ConversationTurn[]> {
  const turns: ConversationTurn[] = [];
  for (const a of after) turns.push(turnOf(await ask(a, turns)));
  return turns;
}

/** Right: the first citation holds the answer, or an unanswerable question is refused. */
export function resultRight(item: EvalItem, r: AskResult): boolean {
  if (!item.answerable) return !r.answered;
  return r.answered && r.citations[0] !== undefined && citationRight(item, r.citations[0]);
}

/** The same answer: both refused, or both answered with the same first sentence. */
export function sameAnswer(a: AskResult, b: AskResult): boolean {
  if (a.answered !== b.answered) return false;
  return !a.answered || (a.citations[0]?.start === b.citations[0]?.start && a.citations[0]?.end === b.citations[0]?.end);
}

export interface FollowUpReport {
  /** Follow-ups (not subject changes): how many, how many right in the conversation, and asked alone. */
  followUps: number;
  followUpsRight: number;
  followUpsRightAlone: number;
  /** Of those, the unanswerable ones and how many were refused. */
  unanswerable: number;
  unanswerableRefused: number;
  /** Read as follow-ups (the answer says "Follow-up to"). */
  readAsFollowUps: number;
  /** Subject changes: how many, answered exactly as alone, and right. */
  changes: number;
  changesAsAlone: number;
  changesRight: number;
  misses: { q: string; after: string[]; why: string }[];
}

/** Scores a follow-up set: each item asked after its earlier questions, and alone. */
export async function scoreFollowUps(items: readonly EvalItem[], ask: Ask): Promise<FollowUpReport> {
  const report: FollowUpReport = { followUps: 0, followUpsRight: 0, followUpsRightAlone: 0, unanswerable: 0, unanswerableRefused: 0, readAsFollowUps: 0, changes: 0, changesAsAlone: 0, changesRight: 0, misses: [] };
  for (const item of items) {
    const after = item.after ?? [];
    const inConversation = await ask(item.q, await conversationOf(ask, after));
    const alone = await ask(item.q, []);
    const right = resultRight(item, inConversation);
    if (item.change) {
      report.changes++;
      const asAlone = sameAnswer(inConversation, alone);
      if (asAlone) report.changesAsAlone++;
      if (right) report.changesRight++;
      if (!asAlone) report.misses.push({ q: item.q, after, why: 'a change of subject answered differently than alone' });
      continue;
    }
    report.followUps++;
    if (inConversation.followUpTo !== undefined) report.readAsFollowUps++;
    if (right) report.followUpsRight++;
    if (resultRight(item, alone)) report.followUpsRightAlone++;
    if (!item.answerable) {
      report.unanswerable++;
      if (!inConversation.answered) report.unanswerableRefused++;
    }
    if (!right) {
      const why = !item.answerable ? 'answered a follow-up the article does not answer' : inConversation.answered ? 'evidence not in the first citation' : 'refused an answerable follow-up';
      report.misses.push({ q: item.q, after, why: inConversation.followUpTo === undefined ? `${why} (read on its own)` : why });
    }
  }
  return report;
}

export async function readFollowUpSet(path: string): Promise<EvalItem[]> {
  return parseEvalSet(await readFile(path, 'utf8'), path);
}

/**
 * The values tried for each context weight. They are fitted by coordinate ascent: from the first value
 * of each, each weight in turn takes its best value with the others fixed, for `CONTEXT_FIT_PASSES`
 * passes (ties keep the earlier value).
 */
export const CONTEXT_WEIGHT_VALUES: { [K in keyof Omit<ContextWeights, 'threshold'>]: number[] } = {
  termWeight: [0.25, 0.1, 0.5, 0.75, 1],
  nameWeight: [1, 0.5, 1.5],
  replacedNameWeight: [0, 0.25, 0.5],
  questionWeight: [0.25, 0.1, 0.5, 1],
  citedWeight: [0, 0.25, 0.5],
};
export const CONTEXT_FIT_PASSES = 2;


export interface FollowUpFit {
  model: FollowUpModel;
  /** Fit-half follow-ups whose best candidate is right under the chosen weights when read as follow-ups, of how many. */
  resolvedRight: number;
  followUps: number;
  gateRows: number;
}

/**
 * Fits the follow-up part on `fit` (follow-ups and subject changes) and `standalone` (questions that stand
 * on their own, each asked after the one before it), for the answer model `base`.
 */
export async function fitFollowUp(
  answererFor: (model: AnswerModel) => Answerer,
  base: AnswerModel,
  written: readonly EvalItem[],
  standalone: readonly EvalItem[],
  dataSha256: string,
): Promise<FollowUpFit> {
  const plain = answererFor(AnswerModel.fromBody({ ...base.body, followUp: undefined }));
  const ask: Ask = (q, turns) => plain.ask(q, turns);
  const fit = written;
  const followUps = fit.filter((i) => !i.change);
  const turnsOf = new Map<EvalItem, ConversationTurn[]>();
  for (const item of fit) turnsOf.set(item, await conversationOf(ask, item.after ?? []));
  const zeroGate = { mean: FOLLOW_UP_FEATURES.map(() => 0), scale: FOLLOW_UP_FEATURES.map(() => 1), weights: FOLLOW_UP_FEATURES.map(() => 0), bias: 0 };
  // Before the re-ranker is fitted, a follow-up reading is ranked by the ranker alone.
  const identity: Linear = { mean: FOLLOW_UP_RANKER_FEATURES.map(() => 0), scale: FOLLOW_UP_RANKER_FEATURES.map(() => 1), weights: FOLLOW_UP_RANKER_FEATURES.map((_, i) => (i === 0 ? 1 : 0)), bias: 0 };
  const withWeights = (weights: ContextWeights, ranker = identity, calibration = base.body.calibration, gate = zeroGate) =>
    answererFor(AnswerModel.fromBody({ ...base.body, followUp: { weights, ranker, rankerFeatures: [...FOLLOW_UP_RANKER_FEATURES], calibration, features: [...FOLLOW_UP_FEATURES], gate, dataSha256 } }));

  // The weights: the most answerable follow-ups whose best candidate holds the answer (at any threshold).
  type Scored = { answerable: boolean; topRight: boolean; logit: number };
  const evaluate = async (weights: ContextWeights, ranker = identity) => {
    const answerer = withWeights(weights, ranker);
    const these: Scored[] = [];
    for (const item of followUps) {
      const { resolved } = await answerer.readings(item.q, turnsOf.get(item)!);
      if (!resolved) continue;
      const top = resolved.decision.order[0];
      const c = top === undefined ? undefined : resolved.retrieval.candidates[top]!.sentence;
      const topRight = c !== undefined && citationRight(item, { paragraph: c.paragraph, quote: c.text });
      these.push({ answerable: item.answerable, topRight, logit: resolved.decision.logit });
    }
    return { right: these.filter((t) => t.answerable && t.topRight).length, scored: these };
  };
  const keys = Object.keys(CONTEXT_WEIGHT_VALUES) as (keyof typeof CONTEXT_WEIGHT_VALUES)[];
  const start = Object.fromEntries(keys.map((k) => [k, CONTEXT_WEIGHT_VALUES[k][0]!])) as Omit<ContextWeights, 'threshold'>;
  let best = { weights: { ...start, threshold: base.threshold }, ...(await evaluate({ ...start, threshold: base.threshold })) };
  for (let pass = 0; pass < CONTEXT_FIT_PASSES; pass++) {
    for (const k of keys) {
      for (const v of CONTEXT_WEIGHT_VALUES[k]) {
        if (v === best.weights[k]) continue;
        const weights = { ...best.weights, [k]: v };
        const tried = await evaluate(weights);
        if (tried.right > best.right) best = { weights, ...tried };
      }
    }
  }
  // The re-ranker: a conditional logit over the candidates of each answerable follow-up read as one.
  const groups: RankGroup[] = [];
  const plainWeights = withWeights(best.weights);
  for (const item of followUps) {
    if (!item.answerable) continue;
    const { resolved } = await plainWeights.readings(item.q, turnsOf.get(item)!);
    if (!resolved) continue;
    const cs = resolved.retrieval.candidates;
    groups.push({
      features: cs.map((c) => [linear(base.body.ranker, c.features), ...(c.context ?? [])]),
      labels: cs.map((c) => citationRight(item, { paragraph: c.sentence.paragraph, quote: c.sentence.text })),
    });
  }
  const ranker = fitRanker(groups, FOLLOW_UP_RANKER_FEATURES.length, { l2: 1e-2, iterations: 300 });
  const reranked = await evaluate(best.weights, ranker);
  // Kept only if it ranks at least as well on the data it was fitted on (else the ranker alone).
  const useRanker = reranked.right >= best.right ? ranker : identity;
  if (useRanker === ranker) best = { ...best, ...reranked };
  // The calibration of a follow-up reading's confidence (its own: the confidence model never saw
  // follow-ups). The bands stay the model's: a follow-up is sure, likely or refused at the same edges as
  // any question (25 follow-ups, 3 of them unanswerable, are too few to move an edge of their own).
  const calibration = fitCalibration(best.scored.map((x) => ({ z: x.logit, answerable: x.answerable, right: x.answerable && x.topRight, weight: 1 })));
  best.weights.threshold = base.threshold;

  const answerer = withWeights(best.weights, useRanker, calibration);
  const rows: number[][] = [];
  const labels: boolean[] = [];
  const add = async (q: string, turns: ConversationTurn[], label: boolean) => {
    const { features } = await answerer.readings(q, turns);
    if (!features) return;
    rows.push(features);
    labels.push(label);
  };
  for (const item of fit) await add(item.q, turnsOf.get(item)!, !item.change);
  for (let i = 0; i < standalone.length; i++) {
    const before = standalone[(i + standalone.length - 1) % standalone.length]!;
    await add(standalone[i]!.q, await conversationOf(ask, [before.q]), false);
  }
  const positives = labels.filter(Boolean).length;
  const negatives = labels.length - positives;
  const weights = labels.map((l) => (l ? labels.length / (2 * Math.max(1, positives)) : labels.length / (2 * Math.max(1, negatives))));
  const gate = fitLogistic(rows, labels, FOLLOW_UP_FEATURES.length, { weights, l2: 1e-2, iterations: 400 });
  return { model: { weights: best.weights, ranker: useRanker, rankerFeatures: [...FOLLOW_UP_RANKER_FEATURES], calibration, features: [...FOLLOW_UP_FEATURES], gate, dataSha256 }, resolvedRight: best.right, followUps: followUps.length, gateRows: rows.length };
}

/** sha256 over the files the follow-up part is fitted on, in order. */
export async function followUpDataHash(paths: readonly string[]): Promise<string> {
  const parts: string[] = [];
  for (const p of paths) parts.push(sha256(await readFile(p)));
  return sha256(parts.join('\n'));
}
