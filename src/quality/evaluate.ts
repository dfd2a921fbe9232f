/**
 * Scoring answers against a question set, one JSON object a line:
 *
 *   {"q", "answerable": true, "paragraph"?: n, "evidence": [gold spans]}
 *   {"q", "answerable": false, "paragraph"?: n, "plausible"?: [spans]}
 *
 * A follow-up set adds `"after": [earlier questions, oldest first]`, and `"change": true` on a question
 * that changes the subject (right when answered as it is alone).
 *
 * A citation holds the answer when it is in paragraph n (when the item names one) and its quote contains
 * a gold span, compared case-insensitively with curly quotes folded to straight ones and white space
 * runs to one space. `npm run eval` and `npm run benchmark` score with the same code.
 */
import type { AskResult, Citation } from '../answer/answer.js';
import type { Band } from '../decision/answer-model.js';
import { foldText } from '../language/text.js';

export interface EvalItem {
  q: string;
  /** Follow-up sets: the questions asked before this one, oldest first. */
  after?: string[];
  /** Follow-up sets: a question that changes the subject, to be answered as if asked alone. */
  change?: boolean;
  /** Chat sets: a question that asks for the gist, to be answered with the short summary. */
  gist?: boolean;
  answerable: boolean;
  paragraph?: number;
  evidence?: string[];
  plausible?: string[];
}

export interface EvalReport {
  answerable: number;
  unanswerable: number;
  firstCitationHit: number;
  anyCitationHit: number;
  refusedUnanswerable: number;
  falseRefusals: number;
  /** Answers shown (answerable or not), and those whose first citation holds the answer. */
  shown: number;
  shownRight: number;
  /** Answerable questions refused whose right sentence is among the closest passages offered. */
  closestHit: number;
  /** Shares, 0–1. */
  firstCitationRate: number;
  anyCitationRate: number;
  refusalRate: number;
  /** Right answers over answers shown. */
  shownRightRate: number;
  /** The counts behind the figures, bands included (`bandLine`). */
  metrics: Metrics;
  /** Gist questions, and those answered with the short summary. */
  gist: { questions: number; summarised: number };
  misses: { q: string; why: string }[];
}

/** Parses a question set; errors name the line (and `source`, when given). */
export function parseEvalSet(text: string, source?: string): EvalItem[] {
  const at = (i: number) => (source ? `${source} line ${i + 1}` : `Line ${i + 1}`);
  return text
    .split(/\r?\n/)
    .map((line, i) => ({ line, i }))
    .filter(({ line }) => line.trim())
    .map(({ line, i }) => {
      let item: EvalItem;
      try {
        item = JSON.parse(line) as EvalItem;
      } catch {
        throw new Error(`${at(i)} is not JSON.`);
      }
      if (item === null || typeof item !== 'object' || typeof item.q !== 'string' || typeof item.answerable !== 'boolean') {
        throw new Error(`${at(i)}: needs "q" and "answerable".`);
      }
      if (item.answerable && !Array.isArray(item.evidence)) throw new Error(`${at(i)}: an answerable question needs "evidence".`);
      if (item.after !== undefined && !(Array.isArray(item.after) && item.after.every((a) => typeof a === 'string' && a.trim()))) {
        throw new Error(`${at(i)}: "after" must be a list of earlier questions.`);
      }
      return item;
    });
}

export function holdsEvidence(quote: string, evidence: readonly string[]): boolean {
  const folded = foldText(quote).toLowerCase();
  return evidence.some((e) => folded.includes(foldText(e).toLowerCase()));
}

/** Whether a citation (paragraph + quote) holds the item's gold answer. */
export function citationRight(item: EvalItem, c: Pick<Citation, 'paragraph' | 'quote'>): boolean {
  if (!item.answerable) return false;
  if (item.paragraph !== undefined && c.paragraph !== item.paragraph) return false;
  return holdsEvidence(c.quote, item.evidence ?? []);
}

/** One question's outcome: answered or not, and which citations are right. */
export interface Outcome {
  item: EvalItem;
  answered: boolean;
  citationsRight: boolean[];
  /** The answer model's probability that the article answers. */
  confidence: number;
  /** Whether the best candidate (cited or not) is right: what answering would give at any threshold. */
  topRight: boolean;
  /** A refusal's closest passages hold the answer. */
  closestRight?: boolean;
  /** The band shown (absent: `answer` when answered, else `refused`). */
  band?: Band;
  /** The likely band's alternatives: whether each holds the answer. */
  alternativesRight?: boolean[];
  ms: number;
}

export function outcomeOfResult(item: EvalItem, r: AskResult, ms: number): Outcome {
  const citationsRight = r.citations.map((c) => citationRight(item, c));
  const top = r.answered ? r.citations[0] : r.closest[0];
  const closestRight = r.closest.some((c) => citationRight(item, c));
  const alternativesRight = (r.alternatives ?? []).map((c) => citationRight(item, c));
  return { item, answered: r.answered, band: r.band, citationsRight, alternativesRight, confidence: r.confidence, topRight: top !== undefined && citationRight(item, top), closestRight, ms };
}

export interface Metrics {
  questions: number;
  answerable: number;
  unanswerable: number;
  firstRight: number;
  anyRight: number;
  falseRefusals: number;
  refusedUnanswerable: number;
  /** Answerable questions whose best candidate holds the answer, answered or not: the ranking, at any threshold. */
  bestRight: number;
  /** Cited sentences, and those holding the answer, over answered answerable questions. */
  cited: number;
  citedRight: number;
  /** The answer band: questions in it (answerable or not), and those whose answer is right. */
  answerBand: number;
  answerBandRight: number;
  /** Unanswerable questions in the answer band. */
  answerBandUnanswerable: number;
  /** The likely band: questions in it, those whose first passage is right, and those with a right passage among the alternatives too. */
  likelyBand: number;
  likelyBandRight: number;
  likelyBandShownRight: number;
  /** Answerable questions whose right passage is shown somewhere: the answer, an alternative or a closest passage. */
  shownSomewhere: number;
  ms: number;
}

export function emptyMetrics(): Metrics {
  return {
    questions: 0,
    answerable: 0,
    unanswerable: 0,
    firstRight: 0,
    anyRight: 0,
    falseRefusals: 0,
    refusedUnanswerable: 0,
    bestRight: 0,
    cited: 0,
    citedRight: 0,
    answerBand: 0,
    answerBandRight: 0,
    answerBandUnanswerable: 0,
    likelyBand: 0,
    likelyBandRight: 0,
    likelyBandShownRight: 0,
    shownSomewhere: 0,
    ms: 0,
  };
}

/** The band of an outcome: as recorded, else `answer` when answered and `refused` when not. */
export function bandOf(o: Outcome): Band {
  return o.band ?? (o.answered ? 'answer' : 'refused');
}

export function addMetrics(a: Metrics, b: Metrics): Metrics {
  const out = emptyMetrics();
  for (const k of Object.keys(out) as (keyof Metrics)[]) out[k] = a[k] + b[k];
  return out;
}

export function metricsOf(outcomes: readonly Outcome[]): Metrics {
  const m = emptyMetrics();
  for (const o of outcomes) {
    m.questions++;
    m.ms += o.ms;
    const band = bandOf(o);
    const first = o.answered && o.item.answerable && o.citationsRight[0] === true;
    if (band === 'answer') {
      m.answerBand++;
      if (first) m.answerBandRight++;
      if (!o.item.answerable) m.answerBandUnanswerable++;
    } else if (band === 'likely') {
      m.likelyBand++;
      if (first) m.likelyBandRight++;
      if (first || (o.item.answerable && (o.alternativesRight ?? []).some(Boolean))) m.likelyBandShownRight++;
    }
    if (o.item.answerable && (o.citationsRight.some(Boolean) || (o.alternativesRight ?? []).some(Boolean) || (!o.answered && o.closestRight === true))) m.shownSomewhere++;
    if (o.item.answerable) {
      m.answerable++;
      if (o.topRight) m.bestRight++;
      if (!o.answered) m.falseRefusals++;
      else {
        if (o.citationsRight[0]) m.firstRight++;
        if (o.citationsRight.some(Boolean)) m.anyRight++;
        m.cited += o.citationsRight.length;
        m.citedRight += o.citationsRight.filter(Boolean).length;
      }
    } else {
      m.unanswerable++;
      if (!o.answered) m.refusedUnanswerable++;
    }
  }
  return m;
}

export interface Rates {
  /** Best candidate right, over answerable questions (threshold-free). */
  bestCandidate: number;
  firstCitation: number;
  anyCitation: number;
  falseRefusal: number;
  unanswerableRefused: number;
  accuracy: number;
  citationPrecision: number;
  /** Right answers in the answer band, over the questions in it. */
  answerBandPrecision: number;
  /** Share of the answerable questions answered in the answer band. */
  answerBandCoverage: number;
  /** Right first passages in the likely band, over the questions in it. */
  likelyBandPrecision: number;
  /** Answerable questions whose right passage is shown somewhere, over the answerable questions. */
  shownSomewhere: number;
  msPerQuestion: number;
}

export function rates(m: Metrics): Rates {
  const div = (a: number, b: number) => (b > 0 ? a / b : 0);
  return {
    bestCandidate: div(m.bestRight, m.answerable),
    firstCitation: div(m.firstRight, m.answerable),
    anyCitation: div(m.anyRight, m.answerable),
    falseRefusal: div(m.falseRefusals, m.answerable),
    unanswerableRefused: div(m.refusedUnanswerable, m.unanswerable),
    accuracy: div(m.firstRight + m.refusedUnanswerable, m.questions),
    citationPrecision: div(m.citedRight, m.cited),
    answerBandPrecision: div(m.answerBandRight, m.answerBand),
    answerBandCoverage: div(m.answerBand - m.answerBandUnanswerable, m.answerable),
    likelyBandPrecision: div(m.likelyBandRight, m.likelyBand),
    shownSomewhere: div(m.shownSomewhere, m.answerable),
    msPerQuestion: div(m.ms, m.questions),
  };
}

/** The development-set report: counts, rates and the misses, from the same outcomes the benchmark scores. */
export function scoreEval(items: readonly EvalItem[], results: readonly AskResult[]): EvalReport {
  const outcomes = items.map((item, i) => outcomeOfResult(item, results[i]!, 0));
  const m = metricsOf(outcomes);
  const r = rates(m);
  const misses: { q: string; why: string }[] = [];
  for (const o of outcomes) {
    if (!o.item.answerable) {
      if (o.answered) misses.push({ q: o.item.q, why: 'answered an unanswerable question' });
    } else if (!o.answered) misses.push({ q: o.item.q, why: 'refused an answerable question' });
    else if (!o.citationsRight[0]) misses.push({ q: o.item.q, why: o.citationsRight.some(Boolean) ? 'evidence not in the first citation' : 'evidence in no citation' });
    else if (o.item.gist && !results[outcomes.indexOf(o)]!.gist) misses.push({ q: o.item.q, why: 'a gist question not answered with the summary' });
  }
  const shown = m.answerable - m.falseRefusals + m.unanswerable - m.refusedUnanswerable;
  return {
    answerable: m.answerable,
    unanswerable: m.unanswerable,
    shown,
    shownRight: m.firstRight,
    shownRightRate: shown ? m.firstRight / shown : 0,
    closestHit: outcomes.filter((o) => o.item.answerable && !o.answered && o.closestRight).length,
    firstCitationHit: m.firstRight,
    anyCitationHit: m.anyRight,
    refusedUnanswerable: m.refusedUnanswerable,
    falseRefusals: m.falseRefusals,
    firstCitationRate: r.firstCitation,
    anyCitationRate: r.anyCitation,
    refusalRate: r.unanswerableRefused,
    metrics: m,
    gist: { questions: items.filter((i) => i.gist).length, summarised: items.filter((i, k) => i.gist && results[k]!.gist).length },
    misses,
  };
}

/**
 * Right first passages among the `share` most confident questions (answerable or not: an unanswerable
 * one counts as wrong), whatever the threshold: a point of the risk–coverage curve.
 */
export function precisionAtCoverage(outcomes: readonly Outcome[], share: number): number {
  const sorted = [...outcomes].sort((a, b) => b.confidence - a.confidence);
  const n = Math.max(1, Math.round(sorted.length * share));
  return sorted.slice(0, n).filter((o) => o.item.answerable && o.topRight).length / Math.min(n, Math.max(1, sorted.length));
}

/**
 * Reliability: the questions in ten bins of confidence, each with its mean confidence and the share whose
 * first passage is right, and the expected calibration error (the bins' gaps, weighted by their size).
 */
export function reliability(outcomes: readonly Outcome[], bins = 10): { bins: { from: number; to: number; count: number; confidence: number; observed: number }[]; ece: number } {
  const out = Array.from({ length: bins }, (_, b) => ({ from: b / bins, to: (b + 1) / bins, count: 0, confidence: 0, observed: 0 }));
  for (const o of outcomes) {
    const bin = out[Math.min(bins - 1, Math.max(0, Math.floor(o.confidence * bins)))]!;
    bin.count++;
    bin.confidence += o.confidence;
    bin.observed += o.item.answerable && o.topRight ? 1 : 0;
  }
  let ece = 0;
  for (const bin of out) {
    if (bin.count === 0) continue;
    bin.confidence /= bin.count;
    bin.observed /= bin.count;
    ece += (bin.count / Math.max(1, outcomes.length)) * Math.abs(bin.confidence - bin.observed);
  }
  return { bins: out, ece };
}
