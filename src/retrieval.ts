/**
 * Hybrid retrieval: dense (HNSW over chunk embeddings) and lexical (BM25 over sentences and paragraphs),
 * fused into one score per sentence. Also computes the signals the answer step uses to decide whether
 * the article answers the question at all.
 */
import type { Article } from './article.js';
import { Bm25 } from './bm25.js';
import type { Chunked, Sentence } from './chunker.js';
import type { Embedder } from './embedder.js';
import { expandTerms, synonymsOf, terms } from './text.js';
import { askedSpeaker, countedNoun, expectedAnswerType, hasAnswerType, type AnswerType } from './answer-type.js';

export interface VectorHit {
  id: number;
  /** Cosine similarity. */
  similarity: number;
}

/** The nearest-neighbour index the retriever needs (HNSW in production, anything in tests). */
export interface VectorIndex {
  readonly size: number;
  search(vector: Float32Array, k: number): VectorHit[];
  /** The stored vector of one item. */
  vector(id: number): Float32Array;
}

export interface ScoredSentence {
  sentence: Sentence;
  /** Fused score used for ranking. */
  score: number;
  /** Cosine similarity of the sentence itself (or, if better, a window containing it) to the question. */
  dense: number;
  /** Share (IDF-weighted) of the question's terms found in this sentence's paragraph. */
  coverage: number;
}

export interface Retrieval {
  /** Sentences ranked best first. */
  ranked: ScoredSentence[];
  /** Question terms (stemmed) the article never uses, not even as a synonym. */
  unknownTerms: string[];
  /** Capitalised names in the question that the article never mentions. */
  unknownNames: string[];
  /** What kind of answer the question asks for, if it says ("How often" → frequency). */
  answerType?: AnswerType;
  /** Whether any sentence of the article holds that kind of answer (for "how many X", a number with X). */
  answerTypeFound: boolean;
  /** For "What did X say?": whether the article has X saying (said, told, wrote …) anything. */
  speakerFound?: boolean;
}

/** Weights of the fused score; tuned on the development set with few free parameters. */
export const FUSION = { sentence: 1, window: 0.5, lexical: 0.3, paragraph: 0.1, answerType: 0.25, synonym: 0.7 } as const;

export class Retriever {
  readonly #chunked: Chunked;
  readonly #index: VectorIndex;
  readonly #embedder: Embedder;
  readonly #sentenceBm25: Bm25;
  readonly #paragraphBm25: Bm25;
  readonly #paragraphTerms: Set<string>[];
  readonly #sentenceTerms: Set<string>[];
  /** Each paragraph's word tokens as written, for finding who said what. */
  readonly #paragraphTokens: string[][];
  readonly #vocabulary: Set<string>;
  /** Every capitalised word of the article, as written. */
  readonly #capitalised: Set<string>;
  readonly #acronyms: Map<string, string[]>;
  /** sentence id → the id of the chunk holding that sentence alone. */
  readonly #ownChunk = new Map<number, number>();

  constructor(article: Article, chunked: Chunked, index: VectorIndex, embedder: Embedder) {
    this.#chunked = chunked;
    this.#index = index;
    this.#embedder = embedder;
    const sentenceTerms = chunked.sentences.map((s) => terms(s.text));
    this.#sentenceBm25 = new Bm25(sentenceTerms);
    this.#sentenceTerms = sentenceTerms.map((t) => new Set(t));
    this.#paragraphTokens = article.paragraphs.map((p) => (p.text.match(NAME_TOKEN) ?? []).map(trimToken));
    const paragraphTerms = article.paragraphs.map((p) => terms(p.text));
    this.#paragraphBm25 = new Bm25(paragraphTerms);
    this.#paragraphTerms = paragraphTerms.map((t) => new Set(t));
    this.#vocabulary = new Set(paragraphTerms.flat());
    this.#capitalised = new Set((article.text.match(NAME_TOKEN) ?? []).map(trimToken).filter((w) => /^\p{Lu}/u.test(w)));
    this.#acronyms = acronymsOf(article.text);
    for (const c of chunked.chunks) if (c.sentences.length === 1) this.#ownChunk.set(c.sentences[0]!, c.id);
  }

  async retrieve(question: string): Promise<Retrieval> {
    const [vector] = await this.#embedder.embed([question], 'query');
    const hits = this.#index.search(vector!, Math.min(this.#index.size, 64));
    const chunkSim = new Map(hits.map((h) => [h.id, h.similarity]));
    const floor = hits.length ? Math.min(...hits.map((h) => h.similarity)) : 0;

    const queryTerms = terms(question).flatMap((t) => (this.#vocabulary.has(t) ? [t] : (this.#acronyms.get(t) ?? [t])));
    const expanded = expandTerms(queryTerms, FUSION.synonym);
    const sentenceLex = normalise(this.#sentenceBm25.scores(expanded));
    const paragraphLex = normalise(this.#paragraphBm25.scores(expanded));

    const windowSim = new Map<number, number>();
    for (const c of this.#chunked.chunks) {
      const sim = chunkSim.get(c.id) ?? floor;
      for (const s of c.sentences) windowSim.set(s, Math.max(windowSim.get(s) ?? -1, sim));
    }

    const unknownTerms = queryTerms.filter((t) => matchWeight(this.#vocabulary, t) === 0);
    const answerType = expectedAnswerType(question);
    let answerTypeFound = false;
    const counted = countedNoun(question);
    const countedTerms = counted ? new Set([...expandTerms(terms(counted)).keys()]) : undefined;
    const coverage = new Map<number, number>();
    const coverageOf = (paragraph: number) => {
      let c = coverage.get(paragraph);
      if (c === undefined) coverage.set(paragraph, (c = this.#coverage(queryTerms, paragraph)));
      return c;
    };
    const ranked = this.#chunked.sentences.map((sentence): ScoredSentence => {
      const own = chunkSim.get(this.#ownChunk.get(sentence.id)!) ?? floor;
      const window = windowSim.get(sentence.id) ?? floor;
      const typed = answerType !== undefined && hasAnswerType(sentence.text, answerType);
      const counts = !countedTerms?.size || [...countedTerms].some((t) => this.#sentenceTerms[sentence.id]!.has(t));
      answerTypeFound ||= typed && counts;
      const score =
        FUSION.sentence * own +
        FUSION.window * window +
        FUSION.lexical * sentenceLex[sentence.id]! +
        FUSION.paragraph * paragraphLex[sentence.paragraph - 1]! +
        (typed ? FUSION.answerType : 0);
      return {
        sentence,
        score,
        dense: Math.max(own, window),
        coverage: coverageOf(sentence.paragraph),
      };
    });
    ranked.sort((a, b) => b.score - a.score || a.sentence.id - b.sentence.id);
    return {
      ranked,
      unknownTerms: [...new Set(unknownTerms)],
      unknownNames: this.#unknownNames(question),
      answerType,
      answerTypeFound,
      speakerFound: this.#speakerFound(question),
    };
  }

  /** IDF-weighted share of query terms present in a paragraph; unknown terms weigh as the rarest. */
  #coverage(queryTerms: readonly string[], paragraph: number): number {
    const unique = [...new Set(queryTerms)];
    if (unique.length === 0) return 0;
    const present = this.#paragraphTerms[paragraph - 1]!;
    const maxIdf = Math.log(1 + (this.#paragraphBm25.size + 0.5) / 1.5);
    let total = 0;
    let found = 0;
    for (const t of unique) {
      const idf = this.#paragraphBm25.idf(t) || maxIdf;
      total += idf;
      found += idf * matchWeight(present, t);
    }
    return total > 0 ? found / total : 0;
  }

  /** For "What did X say …?" with a named X: does any paragraph have X next to a speech verb? */
  #speakerFound(question: string): boolean | undefined {
    const speaker = askedSpeaker(question);
    if (!speaker) return undefined;
    const names = (speaker.match(NAME_TOKEN) ?? []).map(trimToken).filter((w) => /^\p{Lu}/u.test(w));
    if (names.length === 0) return undefined;
    const verbs = /^(?:say|says|said|tell|tells|told|write|writes|wrote|add|added|argue|argued|claim|claimed|insist|insisted|warn|warned|according|post|posted)$/i;
    return this.#paragraphTokens.some((tokens) =>
      tokens.some((tok, i) => {
        if (!names.includes(tok)) return false;
        const after = tokens.slice(i + 1, i + 5);
        const before = tokens.slice(Math.max(0, i - 3), i);
        return after.some((w) => verbs.test(w)) || before.some((w) => verbs.test(w));
      }),
    );
  }

  /**
   * Names in the question (capitalised words, not the first word) that the article never writes with a
   * capital: "Brazil", "Macron", "Series" in "World Series" (the article has only "a series").
   */
  #unknownNames(question: string): string[] {
    const out: string[] = [];
    const tokens = question.match(NAME_TOKEN) ?? [];
    tokens.forEach((tok, i) => {
      const word = trimToken(tok);
      if (i === 0 || word.length < 2 || !/^\p{Lu}/u.test(word)) return;
      if (this.#capitalised.has(word) || this.#acronyms.has(word.toLowerCase())) return;
      out.push(word);
    });
    return out;
  }
}

const NAME_TOKEN = /[\p{L}\p{N}][\p{L}\p{N}'’.-]*/gu;

function trimToken(tok: string): string {
  return tok.replace(/['’]s$/, '').replace(/[.'’-]+$/, '');
}

/**
 * Acronyms of the capitalised phrases the article spells out, each to the phrase's terms:
 * "North Atlantic Treaty Organization" gives nato → [north, atlant, treaty, organization].
 */
export function acronymsOf(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const phrase = /(?:\b[A-Z][a-z]+(?:\s+(?:of|the|and|for)\s+|\s+)){1,6}[A-Z][a-z]+/g;
  for (const m of text.matchAll(phrase)) {
    const caps = m[0].split(/\s+/).filter((w) => /^[A-Z]/.test(w));
    for (let len = 3; len <= caps.length; len++) {
      for (let from = 0; from + len <= caps.length; from++) {
        const words = caps.slice(from, from + len);
        const acronym = words.map((w) => w[0]!.toLowerCase()).join('');
        if (!out.has(acronym)) out.set(acronym, terms(words.join(' ')));
      }
    }
  }
  return out;
}

/** 1 when `terms` holds the term, the synonym weight when it holds only a synonym, else 0. */
function matchWeight(terms: ReadonlySet<string>, term: string): number {
  if (terms.has(term)) return 1;
  for (const syn of synonymsOf(term)) if (terms.has(syn)) return FUSION.synonym;
  return 0;
}

function normalise(scores: number[]): number[] {
  const max = Math.max(0, ...scores);
  return max > 0 ? scores.map((s) => s / max) : scores.map(() => 0);
}
