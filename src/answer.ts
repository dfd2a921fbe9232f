/**
 * Questions → cited answers, and extractive cited summaries. Every sentence returned is an exact slice
 * of the article (`article.text.slice(start, end)`), so every citation can be checked.
 */
import type { Article, ParagraphKind } from './article.js';
import type { Chunked, Sentence } from './chunker.js';
import { dot, l2normalize } from './embedder.js';
import { cleanQuestion, cleanText } from './input.js';
import type { Retrieval, Retriever, ScoredSentence, VectorIndex } from './retrieval.js';
import { expandTerms, terms, words } from './text.js';

export interface Citation {
  paragraph: number;
  kind: ParagraphKind;
  quote: string;
  start: number;
  end: number;
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
  /** 0–1, how strongly the best passage matches the question. */
  confidence: number;
  /** Set when the question itself was unusable (empty, too long …) or something failed inside. */
  error?: { code: string; message: string };
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

/**
 * When the best passage is good enough to answer. Calibrated on the development questions (answerable
 * and unanswerable) with few free parameters; README "How refusal works" explains each rule.
 */
export const REFUSAL = {
  /** Minimum confidence to answer. */
  threshold: 0.34,
  /** Weight of dense similarity vs. lexical coverage in the confidence. */
  denseWeight: 0.5,
  /** At or above this share of question terms unknown to the article, it can't be about the article. */
  maxUnknownShare: 0.5,
  /** Extra sentences join the answer when within this score of the best one. */
  extraMargin: 0.15,
  maxSentences: 3,
} as const;

/** "What is the X of …?" asks for X; if the article never uses X, it can't answer. */
const ATTRIBUTE_OF = /\b(?:what|which|who)(?:'s|’s|\s+(?:is|are|was|were))\s+the\s+([\p{L}-]+)\s+of\b/iu;

export type RefusalReason = 'unknown-name' | 'answer-type-missing' | 'no-such-statement' | 'unknown-terms' | 'unknown-attribute' | 'low-confidence';

export function confidenceOf(retrieval: Retrieval): number {
  const top = retrieval.ranked[0];
  if (!top) return 0;
  const confidence = REFUSAL.denseWeight * top.dense + (1 - REFUSAL.denseWeight) * top.coverage;
  return Math.max(0, Math.min(1, confidence));
}

/** Why the article can't answer this question, or undefined when it can. */
export function refusalReason(question: string, retrieval: Retrieval, queryTerms: readonly string[]): RefusalReason | undefined {
  if (retrieval.unknownNames.length > 0) return 'unknown-name';
  if (retrieval.answerType && !retrieval.answerTypeFound) return 'answer-type-missing';
  if (retrieval.speakerFound === false) return 'no-such-statement';
  const unique = new Set(queryTerms);
  if (unique.size > 0 && retrieval.unknownTerms.length / unique.size >= REFUSAL.maxUnknownShare) return 'unknown-terms';
  const attribute = ATTRIBUTE_OF.exec(question)?.[1];
  if (attribute && terms(attribute).some((t) => retrieval.unknownTerms.includes(t))) return 'unknown-attribute';
  if (confidenceOf(retrieval) < REFUSAL.threshold) return 'low-confidence';
  return undefined;
}

export class Answerer {
  constructor(
    private readonly article: Article,
    private readonly chunked: Chunked,
    private readonly retriever: Retriever,
    private readonly index: VectorIndex,
  ) {}

  citation(s: Sentence): Citation {
    const p = this.article.paragraphs[s.paragraph - 1]!;
    return { paragraph: s.paragraph, kind: p.kind, quote: s.text, start: s.start, end: s.end };
  }

  async ask(rawQuestion: unknown): Promise<AskResult> {
    const cleaned = cleanQuestion(rawQuestion);
    const question = typeof rawQuestion === 'string' ? rawQuestion : '';
    if (!cleaned.ok) {
      return { question, answered: false, answer: cleaned.message, citations: [], closest: [], confidence: 0, error: { code: cleaned.code, message: cleaned.message } };
    }
    const retrieval = await this.retriever.retrieve(cleaned.text);
    const confidence = confidenceOf(retrieval);
    const top = retrieval.ranked[0];
    const reason = refusalReason(cleaned.text, retrieval, terms(cleaned.text));
    if (!top || reason) {
      return {
        question: cleaned.text,
        answered: false,
        answer: NOT_IN_ARTICLE,
        citations: [],
        closest: distinct(retrieval.ranked, 3).map((r) => this.citation(r.sentence)),
        confidence,
      };
    }
    const chosen = [top];
    for (const r of retrieval.ranked.slice(1)) {
      if (chosen.length >= REFUSAL.maxSentences || r.score < top.score - REFUSAL.extraMargin) break;
      if (!chosen.some((c) => nearDuplicate(c.sentence.text, r.sentence.text))) chosen.push(r);
    }
    const quoted = chosen.map((c) => this.#quotation(c.sentence));
    // A whole quotation may now contain another chosen sentence: keep the quotation only.
    const citations = quoted.filter((c, i) => !quoted.some((o, j) => j !== i && o.start <= c.start && o.end >= c.end && (o.end - o.start > c.end - c.start || j < i)));
    return {
      question: cleaned.text,
      answered: true,
      answer: citations.map((c) => c.quote).join(' '),
      citations,
      closest: [],
      confidence,
    };
  }

  /**
   * The citation for a sentence; when the sentence closes a quotation opened in an earlier sentence of the
   * same paragraph (“Flattery doesn’t work… He sees it as weakness,” said …), the citation spans the whole
   * quotation, still an exact slice of the article.
   */
  #quotation(s: Sentence): Citation {
    let first = s;
    let open = quoteBalance(s.text);
    while (open < 0 && first.index > 0) {
      const prev = this.chunked.sentences[first.id - 1]!;
      open += quoteBalance(prev.text);
      first = prev;
    }
    if (first === s) return this.citation(s);
    const p = this.article.paragraphs[s.paragraph - 1]!;
    return { paragraph: s.paragraph, kind: p.kind, quote: this.article.text.slice(first.start, s.end), start: first.start, end: s.end };
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
      if (refusalReason(focus, retrieval, terms(focus))) {
        return { length, focus, answered: false, summary: `The article doesn't say much about “${focus}”.`, citations: [] };
      }
      // Sentences that use the focus words (or their synonyms) first; then others close in meaning.
      const focusTerms = expandTerms(terms(focus));
      const mentions = (r: ScoredSentence) => terms(r.sentence.text).some((t) => focusTerms.has(t));
      const top = retrieval.ranked[0]!;
      const related = retrieval.ranked.filter(mentions);
      picked = pick(related.length ? related : retrieval.ranked.filter((r) => r.score >= top.score * 0.8), count);
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
        return { sentence, score, dense: score, coverage: 0 };
      })
      .sort((a, b) => b.score - a.score);
  }
}

/** Opening minus closing curly double quotes: negative when a sentence closes a quote it did not open. */
function quoteBalance(text: string): number {
  return (text.match(/“/g)?.length ?? 0) - (text.match(/”/g)?.length ?? 0);
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
