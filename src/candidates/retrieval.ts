/**
 * Candidate retrieval and feature extraction. Dense search (HNSW over chunk embeddings) and lexical
 * search (BM25 over sentence and paragraph lemmas) pick the candidate sentences; each candidate then gets
 * the named features of `features.ts`, which the answer model turns into a ranking and an
 * answer-or-refuse decision. No weights live here.
 */
import type { Article } from '../article/article.js';
import { Bm25 } from './bm25.js';
import type { Chunked, Sentence } from '../article/chunker.js';
import { dot, l2normalize, type Embedder } from '../index/embedder.js';
import { ANSWERABLE_FEATURES, BASE_RANKER_FEATURES, freshKinds, holdsKind, questionType, RANKER_FEATURES, UNIT_FEATURE_KINDS, WH_TYPES, type AnswerKind, type RankerFeature, type WhType } from './features.js';
import type { Linguistics } from '../index/linguistics.js';
import type { VectorIndex } from '../index/index-store.js';
export type { VectorHit, VectorIndex } from '../index/index-store.js';
import { analyse, contentLemmas, foldLemma, type Analysis } from '../language/nlp.js';
import type { WordVectors } from '../language/word-vectors.js';
import { ChatReader } from '../language/chat.js';
import type { Reader } from '../reader/cross-encoder.js';
import { passageText } from '../reader/passage.js';


/** What the second stage reads besides the retrieval: per-sentence analyses and WordNet kinds, from the index. */
export interface Knowledge {
  analysisOf(sentenceId: number): Analysis;
  /** The sentences before and after in the same paragraph. */
  neighbours(sentenceId: number): { previous?: number; next?: number };
  /** Whether the article uses the lemma anywhere. */
  inArticle(lemma: string): boolean;
  /** The WordNet kinds (hypernyms) of an article noun lemma; undefined when it has none. */
  hypernymsOf(lemma: string): readonly string[] | undefined;
}

/** What the taught-answer guard compares of a question (`taught.ts`): what it asks, its names, its words. */
export interface QuestionKeys {
  asks: string;
  names: string[];
  /** Content lemmas that are not names, with the word as written (for word vectors). */
  words: { lemma: string; written: string }[];
  /** The question's words in order (punctuation left out): lemma, as written, and whether a content word. */
  sequence: { lemma: string; written: string; content: boolean }[];
}

export interface Candidate {
  sentence: Sentence;
  /**
   * For a question read as a follow-up: the values of `FOLLOW_UP_RANKER_FEATURES` after the first (the
   * ranker's score), for the follow-up re-ranker.
   */
  context?: number[];
  /** Values of `RANKER_FEATURES`, in order. */
  features: number[];
  /** Question-level signals read off this candidate when it is the best one. */
  signals: {
    /** The sentence is negated (not, never …). */
    negated: boolean;
    /** A name or number of the question is missing from the sentence's paragraph. */
    missingName: boolean;
    /** Share of question words missing from the sentence and its neighbours. */
    missingShare: number;
    /** A question word is an antonym of one of the sentence's words. */
    antonym: boolean;
    /** A name or number of the question is missing from the sentence's paragraph but used elsewhere in the article. */
    swappedName: boolean;
  };
}

export interface Retrieval {
  question: Analysis;
  /** The embedding searched with: the question's own, or for a follow-up its blend with the earlier turn's. */
  vector: Float32Array;
  /** The question's own embedding. */
  ownVector: Float32Array;
  /** The question word and the kind of answer it asks for. */
  wh: WhType;
  kind?: AnswerKind;
  /** Candidate sentences, best first by a simple pre-score (the model re-ranks them). */
  candidates: Candidate[];
  /** The index's per-sentence analyses and WordNet kinds, for the second stage (absent for hand-made retrievals). */
  knowledge?: Knowledge;
  /** The question as read, when its words were read differently from how they were typed (shorthand, spelling). */
  readAs?: string;
  /** The question's words as aligned: lemma, IDF share (÷ the largest IDF), name or not, the article lemmas related to it. */
  terms?: { lemma: string; idf: number; name: boolean; related: ReadonlySet<string> }[];
  /** What the taught-answer guard compares (`taught.ts`): the question's own, never an earlier turn's. */
  keys?: QuestionKeys;
  /** Question-level values the answerable model needs besides the ranking (see `answerableFeatures`). */
  questionLevel: {
    articleMissingShare: number;
    articleMissingMaxIdf: number;
    unknownName: number;
    questionWords: ReadonlySet<string>;
    terms: number;
  };
}

/** How much a follow-up's earlier turn counts (fitted, stored with the answer model). */
export interface ContextWeights {
  /** The earlier question's words, as a share of their IDF (names and numbers apart). */
  termWeight: number;
  /** The earlier question's names and numbers when the follow-up has none of its own ("what did he say"). */
  nameWeight: number;
  /** The earlier question's names and numbers when the follow-up names its own ("and lavrov?"). */
  replacedNameWeight: number;
  /** The earlier question's embedding, added to the follow-up's. */
  questionWeight: number;
  /** The earlier answer's cited sentences' embeddings (their mean), added too. */
  citedWeight: number;
  /** The calibrated confidence below which a question read as a follow-up is refused. */
  threshold: number;
}

/** The turn a follow-up follows: the earlier question, its embedding when known, what its answer cited. */
export interface RetrievalContext {
  question: string;
  vector?: Float32Array;
  /** Sentence ids the earlier answer cited (or offered as closest). */
  cited: readonly number[];
  weights: ContextWeights;
}

interface Term {
  lemma: string;
  written: string[];
  /** IDF over sentences times `weight`. */
  idf: number;
  /** 1 for the question's own words; the fitted share for an earlier question's. */
  weight: number;
  name: boolean;
}

/** A question as `Retriever` reads it once, for candidate search and evidence. */
type QuestionView = Awaited<ReturnType<Retriever['readQuestion']>>;
/** The candidates a question's search picked, with the lexical scores the evidence reuses. */
type CandidateSearch = ReturnType<Retriever['candidateSearch']>;

/** How many sentences get full features. */
export const CANDIDATES = 40;
/**
 * How many of them, best first by pre-score, the reader reads: the smallest K whose recall of the right
 * sentence is within a point of all 40 (`scripts/measure-k.ts`: 98.1% at 24, 98.9% at 40, 97.3% at 16 on
 * SQuAD's 11 articles and the summit's fitted questions).
 */
export const READER_K = 24;
/** The `reader` feature of a candidate the reader did not read. */
export const READER_FLOOR = -12;

export class Retriever implements Knowledge {
  readonly #chunked: Chunked;
  readonly #analysis: Analysis[];
  readonly #index: VectorIndex;
  readonly #embedder: Embedder;
  readonly #sentenceBm25: Bm25;
  readonly #paragraphBm25: Bm25;
  /** Per sentence: lemma set, surface token set. */
  readonly #sentenceLemmas: Set<string>[];
  readonly #sentenceTokens: Set<string>[];
  readonly #sentenceBigrams: Set<string>[];
  readonly #paragraphLemmas: Set<string>[];
  /** Sentence ids of each paragraph. */
  readonly #paragraphSentences: number[][];
  /** Related word → the article lemmas it is related to. */
  readonly #relatedTo = new Map<string, Set<string>>();
  /** Antonym → the article lemmas it is the opposite of. */
  readonly #oppositeOf = new Map<string, Set<string>>();
  readonly #paragraphCentroids = new Map<number, Float32Array>();
  /** Every token and lemma the article uses. */
  readonly #vocabulary = new Set<string>();
  readonly #maxIdf: number;
  /**
   * The article's abbreviations of three letters or more, as wink-nlp's tokenizer keeps them (one token with its period: "sen.",
   * "gov."): a question word they shorten by truncation ("senator", "governor") matches them.
   */
  readonly #abbreviations: string[];
  /**
   * Acronyms of the article's names of several capitalised words, lower case, with those words' lemmas:
   * "nato" → north, atlantic, treaty, organization. A question's acronym the article spells out matches them.
   */
  readonly #acronyms = new Map<string, Set<string>>();
  /** sentence id → the chunks covering it (its own chunk first). */
  readonly #chunksOf = new Map<number, number[]>();
  readonly #vectors = new Map<number, Float32Array>();

  /** Per sentence: the unit vectors of its distinct content words (soft alignment); empty without word vectors. */
  readonly #sentenceWordVectors: Float32Array[][];
  readonly #wordVectors: WordVectors | undefined;
  readonly #hypernyms: Record<string, string[]>;
  readonly #chat: ChatReader;

  readonly #reader: Reader | undefined;

  constructor(article: Article, chunked: Chunked, linguistics: Linguistics, index: VectorIndex, embedder: Embedder, wordVectors?: WordVectors, reader?: Reader) {
    this.#chunked = chunked;
    this.#reader = reader;
    this.#wordVectors = wordVectors;
    this.#analysis = linguistics.analysis;
    this.#hypernyms = linguistics.hypernyms ?? {};
    this.#index = index;
    this.#embedder = embedder;
    const sentenceTerms = this.#analysis.map(contentLemmas);
    this.#sentenceBm25 = new Bm25(sentenceTerms);
    this.#sentenceLemmas = this.#analysis.map((a) => new Set(a.lemmas));
    this.#sentenceTokens = this.#analysis.map((a) => new Set(a.tokens));
    this.#sentenceBigrams = sentenceTerms.map(bigrams);
    const paragraphTerms: string[][] = article.paragraphs.map(() => []);
    const paragraphLemmas: Set<string>[] = article.paragraphs.map(() => new Set());
    this.#paragraphSentences = article.paragraphs.map((p) => chunked.sentences.filter((s) => s.paragraph === p.n).map((s) => s.id));
    chunked.sentences.forEach((s, i) => {
      paragraphTerms[s.paragraph - 1]!.push(...sentenceTerms[i]!);
      for (const l of this.#analysis[i]!.lemmas) paragraphLemmas[s.paragraph - 1]!.add(l);
    });
    this.#paragraphBm25 = new Bm25(paragraphTerms);
    this.#paragraphLemmas = paragraphLemmas;
    for (const a of this.#analysis) for (let i = 0; i < a.tokens.length; i++) this.#vocabulary.add(a.tokens[i]!).add(a.lemmas[i]!);
    this.#chat = new ChatReader(article.text, wordVectors, this.#vocabulary);
    this.#abbreviations = [...this.#vocabulary].filter((l) => /^\p{L}{3,}\.$/u.test(l));
    for (const s of chunked.sentences) {
      // Two or more capitalised words, with "of", "the", "and", "for" between them ("North Atlantic Treaty Organization").
      for (const m of s.text.matchAll(/\p{Lu}[\p{Ll}]+(?:\s+(?:(?:of|the|and|for)\s+)?\p{Lu}[\p{Ll}]+)+/gu)) {
        const capitalised = m[0].split(/\s+/).filter((w) => /^\p{Lu}/u.test(w));
        const acronym = capitalised.map((w) => w[0]!.toLowerCase()).join('');
        if (acronym.length < 2 || this.#vocabulary.has(acronym)) continue;
        const words = this.#acronyms.get(acronym) ?? new Set<string>();
        for (const w of capitalised) words.add(foldLemma(w));
        this.#acronyms.set(acronym, words);
      }
    }
    invert(linguistics.lexicon, this.#relatedTo);
    invert(linguistics.antonyms ?? {}, this.#oppositeOf);
    this.#maxIdf = Math.log(1 + (this.#sentenceBm25.size + 0.5) / 0.5);
    this.#sentenceWordVectors = this.#analysis.map((a) => {
      if (!wordVectors) return [];
      const seen = new Set<string>();
      const out: Float32Array[] = [];
      for (const i of a.content) {
        const v = wordVector(wordVectors, a.tokens[i]!, a.lemmas[i]!);
        if (v && !seen.has(a.lemmas[i]!)) {
          seen.add(a.lemmas[i]!);
          out.push(v);
        }
      }
      return out;
    });
    for (const c of chunked.chunks) {
      for (const s of c.sentences) {
        const list = this.#chunksOf.get(s) ?? [];
        if (c.sentences.length === 1) list.unshift(c.id);
        else list.push(c.id);
        this.#chunksOf.set(s, list);
      }
    }
  }

  analysisOf(sentenceId: number): Analysis {
    return this.#analysis[sentenceId]!;
  }

  neighbours(sentenceId: number): { previous?: number; next?: number } {
    const s = this.#chunked.sentences[sentenceId];
    const same = (j: number) => (this.#chunked.sentences[j]?.paragraph === s?.paragraph ? j : undefined);
    return { previous: same(sentenceId - 1), next: same(sentenceId + 1) };
  }

  inArticle(lemma: string): boolean {
    return this.#vocabulary.has(lemma);
  }

  hypernymsOf(lemma: string): readonly string[] | undefined {
    return Object.hasOwn(this.#hypernyms, lemma) ? this.#hypernyms[lemma] : undefined;
  }

  /**
   * Candidates for a question, with their features. With `context` (a follow-up), the earlier question's
   * words join the question's own, weighted (`ContextWeights`: names apart from the other words) in the
   * alignment and BM25 alike; its embedding and the earlier answer's sentences join the question's at
   * `questionWeight` and `citedWeight`; a question without a question word takes the earlier one's; the
   * cited sentences and their neighbours are always candidates, with the features of their relation to
   * the earlier turn. The weights are fitted on the follow-up set (`npm run train`).
   */
  /** A question as typed in chat, read as written (capitals, shorthand, spelling: `language/chat.ts`). */
  readChat(text: string): { text: string; changed: boolean } {
    return this.#read(text);
  }

  async retrieve(typed: string, context?: RetrievalContext, ownVector?: Float32Array): Promise<Retrieval> {
    const reading = this.#read(typed);
    const text = reading.text;
    const v = await this.readQuestion(text, context && { ...context, question: this.#read(context.question).text }, ownVector);
    const search = this.candidateSearch(v, context);
    const candidates = this.#candidateEvidence(v, search, context);
    if (this.#reader) await this.#scoreWithReader(candidates, context ? `${this.#read(context.question).text} ${text}` : text);
    const { q, qv, vector, wh, kind, qTerms, idf, isName, related } = v;
    return {
      question: q,
      vector: qv,
      ownVector: vector,
      wh,
      kind,
      candidates,
      knowledge: this,
      terms: qTerms.map((lemma, k) => ({ lemma, idf: idf[k]! / this.#maxIdf, name: isName[k]!, related: related[k]! })),
      questionLevel: this.#questionEvidence(v, text),
      keys: keysOf(q, v.own, v.ownTerms),
      ...(reading.changed ? { readAs: text } : {}),
    };
  }

  /**
   * The reader's logits into the candidates' `reader` and `reader_gap` features: the first `READER_K` by
   * pre-score, and a follow-up's earlier answer and its neighbours (the reader scores each pair alone).
   */
  async #scoreWithReader(candidates: Candidate[], question: string): Promise<void> {
    const read = candidates.map((_, i) => i).filter((i) => i < READER_K || i >= CANDIDATES);
    const passages = read.map((i) => {
      const s = candidates[i]!.sentence;
      const previous = this.#chunked.sentences[s.id - 1];
      return passageText(s.text, previous?.paragraph === s.paragraph ? previous.text : undefined);
    });
    const logits = await this.#reader!.logits(question, passages);
    const col = RANKER_FEATURES.indexOf('reader');
    const gap = RANKER_FEATURES.indexOf('reader_gap');
    read.forEach((i, j) => (candidates[i]!.features[col] = logits[j]!));
    const best = Math.max(...candidates.map((c) => c.features[col]!));
    for (const c of candidates) c.features[gap] = c.features[col]! - best;
  }

  /** The last few chat readings: a question is read for the empty check, then again to retrieve, and a follow-up reads its earlier question. */
  readonly #readings = new Map<string, { text: string; changed: boolean }>();

  #read(typed: string): { text: string; changed: boolean } {
    let reading = this.#readings.get(typed);
    if (!reading) {
      reading = this.#chat.read(typed);
      this.#readings.set(typed, reading);
      if (this.#readings.size > 64) this.#readings.delete(this.#readings.keys().next().value!);
    }
    return reading;
  }

  /** A question's keys for the taught-answer guard, read as `retrieve` reads it (no embedding). */
  questionKeys(typed: string): { keys: QuestionKeys; words: Set<string> } {
    const text = this.#read(typed).text;
    const q = analyse(text);
    return { keys: keysOf(q, questionType(q), this.#terms(q, text, 1)), words: new Set([...q.tokens, ...q.lemmas]) };
  }

  /** A question's embedding as `retrieve` embeds it (read as chat first). */
  async embedQuestions(typed: readonly string[]): Promise<Float32Array[]> {
    return typed.length ? this.#embedder.embed(typed.map((t) => this.#read(t).text), 'query') : [];
  }

  /** Whether two lemmas are WordNet antonyms (one of them a lemma of the article), for the taught-answer guard. */
  opposites(a: string, b: string): boolean {
    return Boolean(this.#oppositeOf.get(a)?.has(b) || this.#oppositeOf.get(b)?.has(a));
  }

  /** A word's unit vector (word vectors), for the taught-answer guard. */
  wordVector(word: string): Float32Array | undefined {
    return this.#wordVectors?.vector(word);
  }

  /** The question read: its analysis, question word, embedding (blended for a follow-up), weighted words and their WordNet relations. */
  private async readQuestion(text: string, context: RetrievalContext | undefined, ownVector: Float32Array | undefined) {
    const q = analyse(text);
    const own = questionType(q);
    const earlier = context ? analyse(context.question) : undefined;
    const { wh, kind } = own.wh === 'other' && earlier ? questionType(earlier) : own;
    // One call embeds the question and, when its vector isn't known, the earlier one.
    const needed = [...(ownVector ? [] : [text]), ...(context && !context.vector ? [context.question] : [])];
    const embedded = needed.length ? await this.#embedder.embed(needed, 'query') : [];
    const vector = ownVector ?? embedded.shift()!;
    const blendedFrom = context && !context.vector ? embedded.shift() : undefined;
    const qv = context ? this.#blend(vector, { ...context, vector: context.vector ?? blendedFrom }) : vector;
    const n = this.#chunked.sentences.length;

    // Question words: unique content lemmas, weighted by IDF over sentences (unknown words weigh most);
    // a follow-up's earlier question adds its own words, weighted less.
    const ownTerms = this.#terms(q, text, 1);
    // A follow-up with no words of its own ("when?", "why?") is the earlier question asked again: its
    // words count in full. Otherwise they count at the fitted weights.
    const ownName = ownTerms.some((t) => t.name);
    const earlierTerms =
      earlier && context
        ? this.#terms(earlier, context.question, 1)
            .filter((t) => !ownTerms.some((o) => o.lemma === t.lemma))
            .map((t) => {
              const weight = ownTerms.length === 0 ? 1 : t.name ? (ownName ? context.weights.replacedNameWeight : context.weights.nameWeight) : context.weights.termWeight;
              return { ...t, idf: t.idf * weight, weight };
            })
            .filter((t) => t.weight > 0)
        : [];
    const terms = [...ownTerms, ...earlierTerms];
    const qTerms = terms.map((t) => t.lemma);
    const written = terms.map((t) => t.written);
    const idf = terms.map((t) => t.idf);
    const isName = terms.map((t) => t.name);
    const idfTotal = idf.reduce((a, b) => a + b, 0);
    const questionWords = new Set([...q.tokens, ...q.lemmas, ...(earlier ? [...earlier.tokens, ...earlier.lemmas] : [])]);
    // For each question term, the article lemmas it matches through WordNet, or an abbreviation of it
    // the article uses ("senator" → "sen.").
    const related = qTerms.map((t) => {
      const known = this.#vocabulary.has(t);
      const abbreviated = known ? [] : this.#abbreviations.filter((a) => t.length > a.length && t.startsWith(a.slice(0, -1)));
      // An acronym the article only spells out ("nato" → North Atlantic Treaty Organization).
      const spelledOut = known ? [] : [...(this.#acronyms.get(t) ?? [])];
      const wordnet = this.#relatedTo.get(t);
      const extra = [...abbreviated, ...spelledOut];
      return extra.length ? new Set([...(wordnet ?? []), ...extra]) : (wordnet ?? new Set<string>());
    });
    return { q, own, earlier, wh, kind, vector, blendedFrom, qv, n, ownTerms, earlierTerms, terms, qTerms, written, idf, isName, idfTotal, questionWords, related };
  }

  /** Candidate search: dense hits and lexical scores pick the candidates; a follow-up's cited sentences and their neighbours join them. */
  private candidateSearch(v: QuestionView, context: RetrievalContext | undefined) {
    const { qv, n, terms } = v;
    // Pre-score: dense hits and lexical scores, to choose candidates.
    const hits = this.#index.search(qv, Math.min(this.#index.size, 64));
    const denseBest = new Map<number, number>();
    for (const h of hits) {
      for (const s of this.#chunked.chunks[h.id]!.sentences) denseBest.set(s, Math.max(denseBest.get(s) ?? -1, h.similarity));
    }
    const floor = hits.length ? hits[hits.length - 1]!.similarity : 0;
    // BM25 weighs an earlier question's words as the alignment does.
    const lexQuery = new Map(terms.map((t) => [t.lemma, t.weight] as const));
    const sentenceLex = normalise(this.#sentenceBm25.scores(lexQuery));
    const paragraphLex = normalise(this.#paragraphBm25.scores(lexQuery));
    const pre = Array.from({ length: n }, (_, i) => ({
      id: i,
      score: (denseBest.get(i) ?? floor) + 0.5 * sentenceLex[i]! + 0.25 * paragraphLex[this.#chunked.sentences[i]!.paragraph - 1]!,
    }));
    pre.sort((a, b) => b.score - a.score || a.id - b.id);
    const chosen = pre.slice(0, CANDIDATES);
    // A follow-up's answer is often the earlier answer's sentence or its neighbour: always candidates.
    const cited = new Set(context?.cited ?? []);
    const adjacent = new Set<number>();
    for (const id of cited) {
      for (const j of [id - 1, id + 1]) if (!cited.has(j) && this.#chunked.sentences[j]?.paragraph === this.#chunked.sentences[id]?.paragraph) adjacent.add(j);
    }
    for (const id of [...cited, ...adjacent]) if (id >= 0 && id < n && !chosen.some((c) => c.id === id)) chosen.push({ id, score: 0 });
    return { chosen, cited, adjacent, sentenceLex, paragraphLex };
  }

  /** Per-candidate evidence: the named features of `features.ts` for every candidate, and the signals read off it. */
  #candidateEvidence(v: QuestionView, search: CandidateSearch, context: RetrievalContext | undefined): Candidate[] {
    const { q, wh, kind, vector, blendedFrom, qv, ownTerms, earlierTerms, qTerms, written, idf, isName, idfTotal, questionWords, related } = v;
    const { chosen, cited, adjacent, sentenceLex, paragraphLex } = search;
    const align = (has: (t: string, k: number) => boolean) => {
      let found = 0;
      let missing = 0;
      qTerms.forEach((t, k) => {
        if (has(t, k)) found += idf[k]!;
        else missing = Math.max(missing, idf[k]!);
      });
      return { share: idfTotal > 0 ? found / idfTotal : 0, missing: missing / this.#maxIdf };
    };
    const relatedIn = (lemmas: ReadonlySet<string>, t: string, k: number) => {
      if (lemmas.has(t)) return true;
      for (const l of related[k]!) if (lemmas.has(l)) return true;
      return false;
    };
    // Soft alignment: each question word's best cosine with a word of the sentence (1 for the same lemma).
    const qVectors = qTerms.map((t, k) => (this.#wordVectors ? wordVector(this.#wordVectors, written[k]![0] ?? t, t) : undefined));
    // Per unit, computed once per question however many candidates share it: each question word's best
    // cosine with one of the unit's words (1 for the same lemma), and the unit's mean best cosine with a
    // question word (the other way round: lower for long units).
    const known = qVectors.filter((v): v is Float32Array => v !== undefined);
    const perUnit = new Map<number, { best: Float64Array; precision: number }>();
    const unitSoft = (j: number) => {
      let u = perUnit.get(j);
      if (u) return u;
      const best = new Float64Array(qTerms.length);
      const lemmas = this.#sentenceLemmas[j]!;
      qTerms.forEach((t, k) => (best[k] = lemmas.has(t) ? 1 : 0));
      const own = this.#sentenceWordVectors[j]!;
      let precision = 0;
      for (const v of own) {
        let top = 0;
        for (let k = 0; k < qTerms.length; k++) {
          const qk = qVectors[k];
          if (!qk) continue;
          const d = dot(qk, v);
          if (d > best[k]!) best[k] = d;
          if (d > top) top = d;
        }
        precision += top;
      }
      u = { best, precision: own.length && known.length ? precision / own.length : 0 };
      perUnit.set(j, u);
      return u;
    };
    const soft = (ids: readonly number[]) => {
      if (idfTotal <= 0) return 0;
      let sum = 0;
      for (let k = 0; k < qTerms.length; k++) {
        let best = 0;
        for (const j of ids) best = Math.max(best, unitSoft(j).best[k]!);
        sum += idf[k]! * best;
      }
      return sum / idfTotal;
    };
    const softPrecision = (id: number) => unitSoft(id).precision;
    const qBigrams = [...bigrams(ownTerms.length ? contentLemmas(q) : [])];
    const nameCount = isName.filter(Boolean).length;
    // What the question asks about a name ("what did lavrov tell reporters"): its other words, IDF-weighted.
    const restIdf = idf.reduce((sum, w, k) => sum + (isName[k] ? 0 : w), 0);
    const alignRest = (lemmas: ReadonlySet<string>) =>
      restIdf > 0 ? qTerms.reduce((sum, t, k) => sum + (!isName[k] && relatedIn(lemmas, t, k) ? idf[k]! : 0), 0) / restIdf : 1;

    const raw = chosen.map(({ id }) => {
      const sentence = this.#chunked.sentences[id]!;
      const a = this.#analysis[id]!;
      const chunks = this.#chunksOf.get(id) ?? [];
      const own = chunks.length ? dot(qv, this.#vector(chunks[0]!)) : 0;
      let window = own;
      for (const c of chunks.slice(1)) window = Math.max(window, dot(qv, this.#vector(c)));
      const lemmas = this.#sentenceLemmas[id]!;
      const tokens = this.#sentenceTokens[id]!;
      const neighbours = [id - 1, id, id + 1].filter((j) => this.#chunked.sentences[j]?.paragraph === sentence.paragraph);
      const paragraph = this.#paragraphLemmas[sentence.paragraph - 1]!;
      const exact = align((_, k) => written[k]!.some((w) => tokens.has(w)));
      const lemma = align((t) => lemmas.has(t));
      const rel = align((t, k) => relatedIn(lemmas, t, k));
      const inWindow = qTerms.map((t, k) => neighbours.some((j) => relatedIn(this.#sentenceLemmas[j]!, t, k)));
      const win = align((_, k) => inWindow[k]!);
      const par = align((t, k) => relatedIn(paragraph, t, k));
      // The neighbours on their own: a sentence that answers often follows the one that sets it up.
      const sameParagraph = (j: number) => this.#chunked.sentences[j]?.paragraph === sentence.paragraph;
      const alignOf = (j: number) => (sameParagraph(j) ? align((t, k) => relatedIn(this.#sentenceLemmas[j]!, t, k)).share : 0);
      const denseOf = (j: number) => {
        const c = this.#chunksOf.get(j)?.[0];
        return sameParagraph(j) && c !== undefined ? dot(qv, this.#vector(c)) : 0;
      };
      const sentBigrams = this.#sentenceBigrams[id]!;
      const bigramShare = qBigrams.length ? qBigrams.filter((b) => sentBigrams.has(b)).length / qBigrams.length : 0;
      const namesFound = isName.filter((name, k) => name && inWindow[k]).length;
      const content = contentLemmas(a);
      const novel = content.length ? content.filter((l) => !questionWords.has(l)).length / content.length : 0;
      const fresh = freshKinds(a, questionWords);
      const units = UNIT_FEATURE_KINDS.map((k) => (sentence.unit === k ? 1 : 0));
      const values: Record<RankerFeature, number> = {
        dense_sentence: own,
        dense_window: window,
        dense_gap: 0,
        dense_rank: 0,
        dense_paragraph: dot(qv, this.#centroid(sentence.paragraph)),
        reader: READER_FLOOR,
        reader_gap: 0,
        bm25_rank: 0,
        bm25_sentence: sentenceLex[id]!,
        bm25_paragraph: paragraphLex[sentence.paragraph - 1]!,
        align_exact: exact.share,
        align_lemma: lemma.share,
        align_related: rel.share,
        align_window: win.share,
        align_paragraph: par.share,
        missing_max_idf: rel.missing,
        missing_paragraph_max_idf: par.missing,
        bigram_share: bigramShare,
        name_align: nameCount ? namesFound / nameCount : 1,
        align_rest: alignRest(lemmas),
        type_match: kind !== undefined && holdsKind(a, kind, questionWords) ? 1 : 0,
        type_entity: kind !== undefined && kind !== 'person' && kind !== 'place' && holdsKind(a, kind, questionWords) ? 1 : 0,
        novel_share: novel,
        log_tokens: Math.log1p(a.tokens.length),
        first_in_paragraph: sentence.index === 0 ? 1 : 0,
        soft_sentence: soft([id]),
        soft_window: soft(neighbours),
        soft_paragraph: soft(this.#paragraphSentences[sentence.paragraph - 1]!),
        soft_precision: softPrecision(id),
        prev_align: alignOf(id - 1),
        next_align: alignOf(id + 1),
        prev_dense: denseOf(id - 1),
        next_dense: denseOf(id + 1),
      };
      const missingNames = qTerms.filter((t, k) => isName[k] && !relatedIn(paragraph, t, k));
      const signals = {
        negated: a.negated,
        missingName: missingNames.length > 0,
        swappedName: missingNames.some((t) => this.#vocabulary.has(t)),
        missingShare: qTerms.length ? inWindow.filter((x) => !x).length / qTerms.length : 0,
        antonym: qTerms.some((t) => [...(this.#oppositeOf.get(t) ?? [])].some((l) => lemmas.has(l))),
      };
      return { sentence, values, fresh, units, signals };
    });
    const bestDense = Math.max(...raw.map((r) => r.values.dense_sentence));
    rankInto(raw, (r) => r.values.dense_sentence, (r, v) => (r.values.dense_rank = v));
    rankInto(raw, (r) => r.values.bm25_sentence, (r, v) => (r.values.bm25_rank = v));
    const byWh = (flags: number[]) => flags.flatMap((f) => WH_TYPES.map((w) => (w === wh ? f : 0)));
    const citedParagraphs = new Set([...cited].map((id) => this.#chunked.sentences[id]?.paragraph));
    const earlierVector = context ? (context.vector ?? blendedFrom) : undefined;
    const earlierNames = earlierTerms.map((t, k) => (t.name ? ownTerms.length + k : -1)).filter((k) => k >= 0);
    const contextOf = (r: (typeof raw)[number]) => {
      const id = r.sentence.id;
      const chunk = this.#chunksOf.get(id)?.[0];
      const neighbours = [id - 1, id, id + 1].filter((j) => this.#chunked.sentences[j]?.paragraph === r.sentence.paragraph);
      const namesHeld = earlierNames.filter((k) => neighbours.some((j) => relatedIn(this.#sentenceLemmas[j]!, qTerms[k]!, k))).length;
      return [
        cited.has(id) ? 1 : 0,
        adjacent.has(id) ? 1 : 0,
        citedParagraphs.has(r.sentence.paragraph) ? 1 : 0,
        earlierVector && chunk !== undefined ? dot(earlierVector, this.#vector(chunk)) : 0,
        chunk !== undefined ? dot(vector, this.#vector(chunk)) : 0,
        earlierNames.length ? namesHeld / earlierNames.length : 0,
      ];
    };
    const candidates: Candidate[] = raw.map((r) => {
      const { sentence, values, fresh, units, signals } = r;
      values.dense_gap = values.dense_sentence - bestDense;
      const features = [...BASE_RANKER_FEATURES.map((f) => values[f]), ...byWh(fresh), ...byWh(units)];
      return context ? { sentence, features, signals, context: contextOf(r) } : { sentence, features, signals };
    });
    return candidates;
  }

  /** Question-level evidence: words the article never uses (nor a related word), and names it doesn't know. */
  #questionEvidence(v: QuestionView, text: string): Retrieval['questionLevel'] {
    const { qTerms, idf, idfTotal, related, questionWords } = v;
    let unknownWeight = 0;
    let unknownMax = 0;
    qTerms.forEach((t, k) => {
      if (this.#vocabulary.has(t) || related[k]!.size > 0) return;
      unknownWeight += idf[k]!;
      unknownMax = Math.max(unknownMax, idf[k]!);
    });
    return {
      articleMissingShare: idfTotal > 0 ? unknownWeight / idfTotal : 0,
      articleMissingMaxIdf: unknownMax / this.#maxIdf,
      unknownName: this.#unknownName(text) ? 1 : 0,
      questionWords,
      terms: qTerms.length,
    };
  }

  /**
   * A question's unique content lemmas with the forms written ("treaties" for treaty), their IDF over
   * sentences times `weight`, and whether each is a name or number: a proper noun, a numeral or a
   * capitalised word after the first. A word the article never uses whose form without a final "s" it
   * does is that word, typed without the apostrophe of a possessive ("putins plane", "lavrovs job").
   */
  #terms(q: Analysis, text: string, weight: number): Term[] {
    for (const i of q.content) {
      const l = q.lemmas[i]!;
      if (l.length > 3 && l.endsWith('s') && !this.#vocabulary.has(l) && this.#vocabulary.has(l.slice(0, -1))) q.lemmas[i] = l.slice(0, -1);
    }
    const capitalised = new Set((text.match(/(?<=\S\s+)\p{Lu}[\p{L}\p{N}-]*/gu) ?? []).map((w) => w.toLowerCase()));
    return [...new Set(contentLemmas(q))].map((lemma) => {
      const at = q.content.filter((i) => q.lemmas[i] === lemma);
      return {
        lemma,
        written: at.map((i) => q.tokens[i]!),
        idf: weight * (this.#sentenceBm25.idf(lemma) || this.#maxIdf),
        weight,
        name: at.some((i) => q.pos[i] === 'PROPN' || q.pos[i] === 'NUM' || capitalised.has(q.tokens[i]!)),
      };
    });
  }

  /** The question's embedding moved toward the earlier question's and the earlier answer's sentences. */
  #blend(vector: Float32Array, context: RetrievalContext): Float32Array {
    const out = Float32Array.from(vector);
    const add = (v: Float32Array, w: number) => {
      for (let i = 0; i < out.length; i++) out[i]! += w * v[i]!;
    };
    if (context.vector) add(context.vector, context.weights.questionWeight);
    const cited = context.cited.map((id) => this.#chunksOf.get(id)?.[0]).filter((c): c is number => c !== undefined);
    for (const c of cited) add(this.#vector(c), context.weights.citedWeight / cited.length);
    return l2normalize(out);
  }

  /** Unit-length mean of a paragraph's sentence vectors. */
  #centroid(paragraph: number): Float32Array {
    let c = this.#paragraphCentroids.get(paragraph);
    if (c) return c;
    c = new Float32Array(this.#embedder.dimensions);
    for (const s of this.#chunked.sentences) {
      if (s.paragraph !== paragraph) continue;
      const own = this.#chunksOf.get(s.id)?.[0];
      if (own === undefined) continue;
      const v = this.#vector(own);
      for (let i = 0; i < c.length; i++) c[i]! += v[i]!;
    }
    l2normalize(c);
    this.#paragraphCentroids.set(paragraph, c);
    return c;
  }

  #vector(chunk: number): Float32Array {
    let v = this.#vectors.get(chunk);
    if (!v) this.#vectors.set(chunk, (v = this.#index.vector(chunk)));
    return v;
  }

  /** A capitalised word of the question (not its first) that the article never uses in any form. */
  #unknownName(text: string): boolean {
    const tokens = text.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? [];
    return tokens.some((tok, i) => {
      const word = tok.replace(/['’]s$/, '').replace(/['’-]+$/, '');
      return i > 0 && word.length > 1 && /^\p{Lu}/u.test(word) && !this.#vocabulary.has(word.toLowerCase());
    });
  }
}

/** The question-level feature vector, given the model's scores of the candidates (best first). */
export function answerableFeatures(r: Retrieval, logits: readonly number[], order: readonly number[]): number[] {
  const top = order[0];
  const values = Object.fromEntries(ANSWERABLE_FEATURES.map((f) => [f, 0])) as Record<(typeof ANSWERABLE_FEATURES)[number], number>;
  if (top !== undefined) {
    const f = (name: RankerFeature) => r.candidates[top]!.features[RANKER_FEATURES.indexOf(name)]!;
    const max = logits[top]!;
    const z = logits.reduce((s, l) => s + Math.exp(l - max), 0);
    values.top_logit = max;
    values.top_prob = 1 / z;
    values.top_margin = order[1] !== undefined ? max - logits[order[1]]! : 5;
    values.top_dense = f('dense_sentence');
    values.top_align_related = f('align_related');
    values.top_missing_max_idf = f('missing_max_idf');
    values.top_paragraph_missing_max_idf = f('missing_paragraph_max_idf');
    values.top_type_match = f('type_match');
    values.top_name_align = f('name_align');
    values.top_align_rest = f('align_rest');
    const signals = r.candidates[top]!.signals;
    values.negation_mismatch = r.question.negated !== signals.negated ? 1 : 0;
    values.top_missing_name = signals.missingName ? 1 : 0;
    values.top_missing_share = signals.missingShare;
    values.antonym_in_top = signals.antonym ? 1 : 0;
    values.second_prob = order[1] !== undefined ? Math.exp(logits[order[1]]! - max) / z : 0;
    const typeIndex = RANKER_FEATURES.indexOf('type_match');
    values.type_unseen = r.kind !== undefined && !r.candidates.some((c) => c.features[typeIndex] === 1) ? 1 : 0;
  }
  values.article_missing_share = r.questionLevel.articleMissingShare;
  values.article_missing_max_idf = r.questionLevel.articleMissingMaxIdf;
  values.unknown_name = r.questionLevel.unknownName;
  values[`wh_${r.wh}`] = 1;
  values.log_terms = Math.log1p(r.questionLevel.terms);
  return ANSWERABLE_FEATURES.map((f) => values[f]);
}

/** Sets 1 / (1 + rank) by `key`, best first. */
function rankInto<T>(items: T[], key: (t: T) => number, set: (t: T, v: number) => void): void {
  [...items].sort((a, b) => key(b) - key(a)).forEach((t, rank) => set(t, 1 / (1 + rank)));
}

function invert(map: Record<string, string[]>, into: Map<string, Set<string>>): void {
  for (const [lemma, words] of Object.entries(map)) {
    for (const word of words) {
      const w = foldLemma(word);
      const set = into.get(w) ?? new Set<string>();
      set.add(lemma);
      into.set(w, set);
    }
  }
}

/** A word's vector as written, else its lemma's. */
/** The kind of answer asked for ("what", "which", "how" and a yes-or-no ask for a description alike), names and other words. */
function keysOf(q: Analysis, { wh, kind }: { wh: WhType; kind?: AnswerKind }, terms: readonly Term[]): QuestionKeys {
  const content = new Set(q.content);
  const asks = kind ?? (wh === 'who' || wh === 'when' || wh === 'where' || wh === 'why' || wh === 'how_many' ? wh : 'open');
  return {
    asks,
    names: terms.filter((t) => t.name).map((t) => t.lemma),
    words: terms.filter((t) => !t.name).map((t) => ({ lemma: t.lemma, written: t.written[0] ?? t.lemma })),
    sequence: q.tokens.flatMap((token, i) => (q.pos[i] === 'PUNCT' ? [] : [{ lemma: q.lemmas[i]!, written: token, content: content.has(i) }])),
  };
}

function wordVector(wv: WordVectors, token: string, lemma: string): Float32Array | undefined {
  return wv.vector(token) ?? wv.vector(lemma);
}

function bigrams(lemmas: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (let i = 1; i < lemmas.length; i++) out.add(`${lemmas[i - 1]} ${lemmas[i]}`);
  return out;
}

function normalise(scores: number[]): number[] {
  const max = Math.max(0, ...scores);
  return max > 0 ? scores.map((s) => s / max) : scores.map(() => 0);
}
