/**
 * Questions → cited answers, and extractive cited summaries. Every sentence returned is an exact slice
 * of the article (`article.text.slice(start, end)`), so every citation can be checked.
 */
import type { Article, ParagraphKind } from '../article/article.js';
import type { Chunked, Sentence } from '../article/chunker.js';
import type { AnswerModel, Band } from '../decision/answer-model.js';
import { dot, l2normalize } from '../index/embedder.js';
import { kindTokens, RANKER_FEATURES } from '../candidates/features.js';
import { cleanQuestion, cleanText, EMPTY_QUESTION_MESSAGE } from '../question/input.js';
import type { Analysis } from '../language/nlp.js';
import type { RetrievalContext, Retriever, VectorIndex } from '../candidates/retrieval.js';
import { contextQuestion, followUpFeatures, understood, type ConversationTurn, type Reading } from '../conversation/follow-up.js';
import { words } from '../language/text.js';
import { isGistQuestion, subjectOf } from '../question/gist.js';
import type { QuestionKeys } from '../candidates/retrieval.js';

/** How a taught answer was taught: by a pin, a correction, askers' picks, or an import. */
export type TeachHow = 'pin' | 'correction' | 'picks' | 'import';

/** What an answer taught by the moderators says of it. */
export interface TaughtNote {
  id: string;
  question: string;
  how: TeachHow;
}

export interface Citation {
  paragraph: number;
  /** The paragraph's kind, or `credit` for a caption's photo credit. */
  kind: ParagraphKind | 'credit';
  quote: string;
  start: number;
  end: number;
  /** Article offsets of the words that are the answer (the date, the name, the number), when known. */
  answerSpan?: { start: number; end: number };
}

/** A sentence with a score, for ranking. */
export interface ScoredSentence {
  sentence: Sentence;
  score: number;
}

export interface AskResult {
  question: string;
  answered: boolean;
  /** The article's own sentences (answered), or a plain refusal / input message. */
  answer: string;
  /** What the answer rests on; empty when not answered. */
  citations: Citation[];
  /** Nearest passages offered when the article doesn't say; not an answer. */
  closest: Citation[];
  /** 0–1, the calibrated probability that the first passage shown (cited or closest) answers the question. */
  confidence: number;
  /**
   * `answer` (sure), `likely` (the best passage with up to two alternatives) or `refused`. Absent only on
   * results that never reached the model (unusable input, an internal failure): read them as refused.
   */
  band?: Band;
  /** The likely band's other passages ("or one of these"): best first, no near-duplicates. */
  alternatives?: Citation[];
  /** A refusal that Footnote could not place: the answer may still be in the article ("I couldn't find this"). */
  notFound?: boolean;
  /** Set when the question itself was unusable (empty, too long …) or something failed inside. */
  error?: { code: string; message: string };
  /** The question's embedding (for grouping similar questions in the store); not part of any output. */
  vector?: Float32Array;
  /** Set when the question was read as a follow-up: the earlier question it follows, as understood. */
  followUpTo?: string;
  /** The question as understood: the follow-up joined to the question it follows (else the question). */
  understood?: string;
  /** The question as read, when chat spelling or shorthand was read differently ("Read as: …"). */
  readAs?: string;
  /** Set when the question asked for the gist: the answer is the short summary. */
  gist?: boolean;
  /** Set when a taught answer answered: the taught question and how it was taught. */
  taught?: TaughtNote;
  /** The question's keys for the taught-answer guard; not part of any output. */
  keys?: QuestionKeys;
  /** Sentence ids of the model's best candidates, best first (for taught-answer matching); not part of any output. */
  ranked?: number[];
}

export type SummaryLength = 'short' | 'medium' | 'long';
export const SUMMARY_SENTENCES: Record<SummaryLength, number> = { short: 3, medium: 5, long: 8 };

export interface SummaryResult {
  length: SummaryLength;
  focus?: string;
  /** False when a focus matched nothing in the article. */
  answered: boolean;
  summary: string;
  citations: Citation[];
  error?: { code: string; message: string };
}

/** A cited sentence followed by its marker: "… sentence. [¶30]". */
export function withMarker(c: Pick<Citation, 'quote' | 'paragraph'>): string {
  return `${c.quote} [¶${c.paragraph}]`;
}

export const NOT_IN_ARTICLE = "The article doesn't say.";
/** How many of the model's best candidates a result keeps (`ranked`) for matching taught answers. */
export const TAUGHT_CANDIDATES = 8;
/** The refusal where the confidence does not support "the article doesn't say": the answer may be there. */
export const NOT_FOUND = "I couldn't find this in the article.";

export class Answerer {
  readonly #subject: Set<string>;

  constructor(
    private readonly article: Article,
    private readonly chunked: Chunked,
    private readonly retriever: Retriever,
    private readonly index: VectorIndex,
    private readonly model: AnswerModel,
  ) {
    this.#subject = subjectOf(chunked.sentences.map((s) => retriever.analysisOf(s.id)));
  }

  citation(s: Sentence): Citation {
    const p = this.article.paragraphs[s.paragraph - 1]!;
    return { paragraph: s.paragraph, kind: s.unit === 'credit' ? 'credit' : p.kind, quote: s.text, start: s.start, end: s.end };
  }

  /**
   * A cited answer or a refusal. With a conversation (oldest turn first), the question is also read in
   * the light of the last turn, and the follow-up gate picks the reading (`follow-up.ts`).
   */
  async ask(rawQuestion: unknown, conversation: readonly ConversationTurn[] = []): Promise<AskResult> {
    const cleaned = cleanQuestion(rawQuestion);
    const question = typeof rawQuestion === 'string' ? rawQuestion : '';
    if (!cleaned.ok) {
      return { question, answered: false, answer: cleaned.message, citations: [], closest: [], confidence: 0, error: { code: cleaned.code, message: cleaned.message } };
    }
    // Shorthand and filler alone ("lol??") leave nothing to ask.
    if (!/[\p{L}\p{N}]/u.test(this.retriever.readChat(cleaned.text).text)) {
      return { question, answered: false, answer: EMPTY_QUESTION_MESSAGE, citations: [], closest: [], confidence: 0, error: { code: 'empty', message: EMPTY_QUESTION_MESSAGE } };
    }
    const { alone, resolved, earlier, gate } = await this.readings(cleaned.text, conversation);
    const followUpTo = resolved && gate >= 0.5 ? earlier : undefined;
    const reading = followUpTo === undefined ? alone : resolved!;
    const asUnderstood = followUpTo === undefined ? cleaned.text : understood(followUpTo, cleaned.text);
    this.#rememberVector(asUnderstood, reading.retrieval.vector);
    const readAs = reading.retrieval.readAs;
    const keys = alone.retrieval.keys ? { keys: alone.retrieval.keys } : {};
    if (followUpTo === undefined && isGistQuestion(alone.retrieval.question, this.#subject)) return { ...(await this.gist(cleaned.text, alone)), ...(readAs ? { readAs } : {}), ...keys };
    const result = this.result(cleaned.text, reading);
    const read = readAs ? { ...result, readAs } : result;
    return followUpTo === undefined ? { ...read, ...keys } : { ...read, followUpTo, understood: asUnderstood };
  }

  /** A gist question's answer: the short summary's cited sentences, in the answer band. */
  async gist(question: string, { retrieval }: Reading): Promise<AskResult> {
    const summary = await this.summarize({ length: 'short' });
    return {
      question,
      answered: true,
      answer: summary.summary,
      citations: summary.citations,
      closest: [],
      // The summary is not a model's decision: it is what the article leads with, every sentence cited.
      confidence: 1,
      band: 'answer',
      gist: true,
      vector: retrieval.ownVector,
    };
  }

  /**
   * The two readings of a (clean) question: on its own, and, when there is an earlier turn and the model
   * has follow-up weights, in the light of the last turn, with the gate's probability that it is a follow-up.
   */
  async readings(text: string, conversation: readonly ConversationTurn[]): Promise<{ alone: Reading; resolved?: Reading; earlier?: string; gate: number; features?: number[] }> {
    const aloneRetrieval = await this.retriever.retrieve(text);
    const alone: Reading = { retrieval: aloneRetrieval, decision: this.model.decide(aloneRetrieval) };
    const last = conversation.at(-1);
    const followUp = this.model.followUp;
    if (!last || !followUp) return { alone, gate: 0 };
    const { weights, calibration, ranker } = followUp;
    const earlier = contextQuestion(last);
    const context: RetrievalContext = { question: earlier, vector: this.#contextVectors.get(earlier), cited: this.sentenceIds(last.cited), weights };
    const resolvedRetrieval = await this.retriever.retrieve(text, context, aloneRetrieval.ownVector);
    const resolved: Reading = { retrieval: resolvedRetrieval, decision: this.model.decide(resolvedRetrieval, { threshold: weights.threshold, calibration, ranker }) };
    const features = followUpFeatures(alone, resolved);
    return { alone, resolved, earlier, gate: this.model.followUpProbability(features), features };
  }

  /** The sentences that overlap article offsets, in article order (the units a taught answer cites). */
  sentencesAt(ranges: readonly { start: number; end: number }[]): Sentence[] {
    const ids = new Set(this.sentenceIds(ranges));
    return this.chunked.sentences.filter((s) => ids.has(s.id));
  }

  /** Sentence ids of cited article slices (offsets that no longer match a sentence are dropped). */
  sentenceIds(cited: readonly { start: number; end: number }[]): number[] {
    return cited.flatMap((c) => this.chunked.sentences.filter((s) => s.start < c.end && c.start < s.end).map((s) => s.id));
  }

  /**
   * Embeddings of recent questions as understood, so a follow-up to one of them needs no second embedding
   * (a conversation restored after a restart embeds its last question once).
   */
  readonly #contextVectors = new Map<string, Float32Array>();

  #rememberVector(text: string, vector: Float32Array): void {
    this.#contextVectors.delete(text);
    this.#contextVectors.set(text, vector);
    if (this.#contextVectors.size > 512) this.#contextVectors.delete(this.#contextVectors.keys().next().value!);
  }

  /** The answer (or refusal) one reading gives. */
  result(question: string, { retrieval, decision }: Reading): AskResult {
    const ranked = decision.order.map((i) => ({ sentence: retrieval.candidates[i]!.sentence, score: decision.logits[i]! }));
    const best = { ranked: ranked.slice(0, TAUGHT_CANDIDATES).map((r) => r.sentence.id) };
    if (!decision.answer) {
      return {
        question,
        answered: false,
        answer: decision.silent ? NOT_IN_ARTICLE : NOT_FOUND,
        citations: [],
        closest: distinct(ranked, 3).map((r) => this.citation(r.sentence)),
        confidence: decision.answerable,
        band: 'refused',
        ...(decision.silent ? {} : { notFound: true }),
        vector: retrieval.ownVector,
        ...best,
      };
    }
    const chosen: Sentence[] = [];
    for (const i of decision.chosen) {
      const s = retrieval.candidates[i]!.sentence;
      if (!chosen.some((c) => nearDuplicate(c.text, s.text))) chosen.push(s);
    }
    const citations = chosen.map((s) => this.citation(s));
    if (retrieval.kind && citations[0]) {
      const first = chosen[0]!;
      const analysis = this.retriever.analysisOf(first.id);
      const span = answerSpan(first, analysis, kindTokens(analysis, retrieval.kind, retrieval.questionLevel.questionWords));
      if (span) citations[0].answerSpan = span;
    }
    const alternatives =
      decision.band === 'likely'
        ? distinct(ranked, 3)
            .filter((r) => !chosen.some((c) => c.id === r.sentence.id || nearDuplicate(c.text, r.sentence.text)))
            .slice(0, 2)
            .map((r) => this.citation(r.sentence))
        : [];
    return {
      question,
      answered: true,
      answer: citations.map((c) => c.quote).join(' '),
      citations,
      closest: [],
      confidence: decision.answerable,
      band: decision.band,
      ...(decision.band === 'likely' ? { alternatives } : {}),
      vector: retrieval.ownVector,
      ...best,
    };
  }

  /** Extractive summary in article order. Without focus: central, early sentences; with focus: the most relevant. */
  async summarize(opts: { length?: SummaryLength; focus?: string } = {}): Promise<SummaryResult> {
    const length = opts.length ?? 'medium';
    const count = SUMMARY_SENTENCES[length] ?? SUMMARY_SENTENCES.medium;
    const focus = opts.focus === undefined ? undefined : cleanText(opts.focus);
    if (opts.focus !== undefined) {
      const cleaned = cleanQuestion(opts.focus, 100);
      if (!cleaned.ok) {
        return { length, focus, answered: false, summary: cleaned.message, citations: [], error: { code: cleaned.code, message: cleaned.message } };
      }
    }
    let picked: Sentence[];
    if (focus) {
      const retrieval = await this.retriever.retrieve(focus);
      if (retrieval.candidates.length === 0 || retrieval.questionLevel.articleMissingShare >= 0.5) {
        return { length, focus, answered: false, summary: `The article doesn't say much about “${focus}”.`, citations: [] };
      }
      // Sentences that use the focus words (or related words) first, in the model's order; then the rest.
      const decision = this.model.decide(retrieval);
      const aligned = RANKER_FEATURES.indexOf('align_related');
      const ranked = decision.order.map((i) => ({ sentence: retrieval.candidates[i]!.sentence, score: decision.logits[i]!, related: retrieval.candidates[i]!.features[aligned]! > 0 }));
      const related = ranked.filter((r) => r.related);
      picked = pick(related.length ? related : ranked, count);
    } else {
      picked = pick(this.#centralSentences(), count);
    }
    picked.sort((a, b) => a.id - b.id);
    const citations = picked.map((s) => this.citation(s));
    return { length, focus, answered: true, summary: citations.map((c) => c.quote).join(' '), citations };
  }

  /** Sentences ranked by similarity to the article's centroid, with a lead bias as news is written top-down. */
  #centralSentences(): ScoredSentence[] {
    const own = this.chunked.chunks.filter((c) => c.sentences.length === 1);
    const vectors = own.map((c) => this.index.vector(c.id));
    const centroid = new Float32Array(vectors[0]?.length ?? 0);
    for (const v of vectors) for (let i = 0; i < v.length; i++) centroid[i]! += v[i]!;
    l2normalize(centroid);
    const total = this.chunked.sentences.length;
    return own
      .map((c, i) => {
        const sentence = this.chunked.sentences[c.sentences[0]!]!;
        const kind = this.article.paragraphs[sentence.paragraph - 1]!.kind;
        const lead = 1 - sentence.id / total;
        const tooShort = sentence.text.length < 60 ? 0.15 : 0;
        const score = kind === 'body' ? dot(vectors[i]!, centroid) + 0.35 * lead - tooShort : -Infinity;
        return { sentence, score };
      })
      .sort((a, b) => b.score - a.score);
  }
}

/**
 * Article offsets of the answer tokens in a sentence: the tokens are found in order in the sentence's text
 * (wink-nlp keeps token order, not offsets). Undefined when they can't all be found.
 */
function answerSpan(s: Sentence, a: Analysis, tokens: readonly number[]): { start: number; end: number } | undefined {
  if (tokens.length === 0) return undefined;
  const lower = s.text.toLowerCase();
  let cursor = 0;
  let start = -1;
  let end = -1;
  for (let i = 0; i <= tokens.at(-1)!; i++) {
    const at = lower.indexOf(a.tokens[i]!, cursor);
    if (at < 0) continue;
    cursor = at + a.tokens[i]!.length;
    if (i === tokens[0]) start = at;
    if (i === tokens.at(-1)) end = cursor;
  }
  return start >= 0 && end > start ? { start: s.start + start, end: s.start + end } : undefined;
}

function pick(ranked: ScoredSentence[], count: number): Sentence[] {
  return distinct(ranked, count).map((r) => r.sentence);
}

/** The first `limit` sentences that do not repeat an earlier (better ranked) one. */
function distinct(ranked: ScoredSentence[], limit: number): ScoredSentence[] {
  const out: ScoredSentence[] = [];
  for (const r of ranked) {
    if (out.length >= limit) break;
    if (!out.some((o) => nearDuplicate(o.sentence.text, r.sentence.text))) out.push(r);
  }
  return out;
}

/** Jaccard similarity of word sets ≥ 0.6. */
export function nearDuplicate(a: string, b: string): boolean {
  const A = new Set(words(a));
  const B = new Set(words(b));
  let shared = 0;
  for (const w of A) if (B.has(w)) shared++;
  const union = A.size + B.size - shared;
  return union > 0 && shared / union >= 0.6;
}
