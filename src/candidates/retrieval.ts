/**
 * The first stage, in order: the question is read once (`readQuestion`: analysis, embedding, a follow-up's
 * context), dense search (HNSW over chunk embeddings) and lexical search (BM25 over sentence and paragraph
 * lemmas, `article-terms.ts`) pick the candidate sentences (`candidateSearch`), each gets the named
 * features of `features.ts` (`candidate-evidence.ts`), and the reader's logit for the first `READER_K`.
 * The answer model (`decision/`) turns them into a ranking and an answer-or-refuse decision. No weights
 * live here.
 */
import type { Article } from '../article/article.js';
import type { Chunked } from '../article/chunker.js';
import { l2normalize, type Embedder } from '../index/embedder.js';
import { questionType, RANKER_FEATURES, type AnswerKind, type WhType } from './features.js';
import type { Linguistics } from '../index/linguistics.js';
import type { VectorIndex } from '../index/index-store.js';
export type { VectorHit, VectorIndex } from '../index/index-store.js';
import { analyse, type Analysis } from '../language/nlp.js';
import type { WordVectors } from '../language/word-vectors.js';
import { ChatReader } from '../language/chat.js';
import type { Reader } from '../reader/cross-encoder.js';
import { passageText } from '../reader/passage.js';
import { ArticleTerms } from './article-terms.js';
import { candidateEvidence, type EvidenceSources } from './candidate-evidence.js';
import type { Candidate, CandidateSearch, Knowledge, QuestionKeys, QuestionView, Retrieval, RetrievalContext, Term } from './types.js';
export type { Candidate, ContextWeights, Knowledge, QuestionKeys, Retrieval, RetrievalContext } from './types.js';
export { READER_FLOOR } from './candidate-evidence.js';

/** How many sentences get full features. */
export const CANDIDATES = 40;
/**
 * How many of them, best first by pre-score, the reader reads: the smallest K whose recall of the right
 * sentence is within a point of all 40 (`scripts/measure-k.ts`: 98.1% at 24, 98.9% at 40, 97.3% at 16 on
 * SQuAD's 11 articles and the summit's fitted questions).
 */
export const READER_K = 24;

export class Retriever implements Knowledge {
  readonly #chunked: Chunked;
  readonly #analysis: Analysis[];
  readonly #index: VectorIndex;
  readonly #embedder: Embedder;
  readonly #terms: ArticleTerms;
  readonly #paragraphCentroids = new Map<number, Float32Array>();
  readonly #vectors = new Map<number, Float32Array>();
  readonly #wordVectors: WordVectors | undefined;
  readonly #hypernyms: Record<string, string[]>;
  readonly #chat: ChatReader;
  readonly #reader: Reader | undefined;
  /** What `candidateEvidence` reads of the article. */
  readonly #evidenceSources: EvidenceSources;

  constructor(article: Article, chunked: Chunked, linguistics: Linguistics, index: VectorIndex, embedder: Embedder, wordVectors?: WordVectors, reader?: Reader) {
    this.#chunked = chunked;
    this.#reader = reader;
    this.#wordVectors = wordVectors;
    this.#analysis = linguistics.analysis;
    this.#hypernyms = linguistics.hypernyms ?? {};
    this.#index = index;
    this.#embedder = embedder;
    this.#terms = new ArticleTerms(article, chunked, this.#analysis, linguistics, wordVectors);
    this.#chat = new ChatReader(article.text, wordVectors, this.#terms.vocabulary);
    this.#evidenceSources = { chunked, analysis: this.#analysis, terms: this.#terms, wordVectors, vector: (c) => this.#vector(c), centroid: (p) => this.#centroid(p) };
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
    return this.#terms.vocabulary.has(lemma);
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
    const candidates = candidateEvidence(this.#evidenceSources, v, search, context);
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
      terms: qTerms.map((lemma, k) => ({ lemma, idf: idf[k]! / this.#terms.maxIdf, name: isName[k]!, related: related[k]! })),
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
    return { keys: keysOf(q, questionType(q), this.#terms.terms(q, text, 1)), words: new Set([...q.tokens, ...q.lemmas]) };
  }

  /** A question's embedding as `retrieve` embeds it (read as chat first). */
  async embedQuestions(typed: readonly string[]): Promise<Float32Array[]> {
    return typed.length ? this.#embedder.embed(typed.map((t) => this.#read(t).text), 'query') : [];
  }

  /** Whether two lemmas are WordNet antonyms (one of them a lemma of the article), for the taught-answer guard. */
  opposites(a: string, b: string): boolean {
    return this.#terms.opposites(a, b);
  }

  /** A word's unit vector (word vectors), for the taught-answer guard. */
  wordVector(word: string): Float32Array | undefined {
    return this.#wordVectors?.vector(word);
  }

  /** The question read: its analysis, question word, embedding (blended for a follow-up), weighted words and their WordNet relations. */
  private async readQuestion(text: string, context: RetrievalContext | undefined, ownVector: Float32Array | undefined): Promise<QuestionView> {
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
    const ownTerms = this.#terms.terms(q, text, 1);
    // A follow-up with no words of its own ("when?", "why?") is the earlier question asked again: its
    // words count in full. Otherwise they count at the fitted weights.
    const ownName = ownTerms.some((t) => t.name);
    const earlierTerms =
      earlier && context
        ? this.#terms.terms(earlier, context.question, 1)
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
    const related = qTerms.map((t) => this.#terms.related(t));
    return { q, own, earlier, wh, kind, vector, blendedFrom, qv, n, ownTerms, earlierTerms, terms, qTerms, written, idf, isName, idfTotal, questionWords, related };
  }

  /** Candidate search: dense hits and lexical scores pick the candidates; a follow-up's cited sentences and their neighbours join them. */
  private candidateSearch(v: QuestionView, context: RetrievalContext | undefined): CandidateSearch {
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
    const sentenceLex = normalise(this.#terms.sentenceBm25.scores(lexQuery));
    const paragraphLex = normalise(this.#terms.paragraphBm25.scores(lexQuery));
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

  /** Question-level evidence: words the article never uses (nor a related word), and names it doesn't know. */
  #questionEvidence(v: QuestionView, text: string): Retrieval['questionLevel'] {
    const { qTerms, idf, idfTotal, related, questionWords } = v;
    let unknownWeight = 0;
    let unknownMax = 0;
    qTerms.forEach((t, k) => {
      if (this.#terms.vocabulary.has(t) || related[k]!.size > 0) return;
      unknownWeight += idf[k]!;
      unknownMax = Math.max(unknownMax, idf[k]!);
    });
    return {
      articleMissingShare: idfTotal > 0 ? unknownWeight / idfTotal : 0,
      articleMissingMaxIdf: unknownMax / this.#terms.maxIdf,
      unknownName: this.#terms.unknownName(text) ? 1 : 0,
      questionWords,
      terms: qTerms.length,
    };
  }

  /** The question's embedding moved toward the earlier question's and the earlier answer's sentences. */
  #blend(vector: Float32Array, context: RetrievalContext): Float32Array {
    const out = Float32Array.from(vector);
    const add = (v: Float32Array, w: number) => {
      for (let i = 0; i < out.length; i++) out[i]! += w * v[i]!;
    };
    if (context.vector) add(context.vector, context.weights.questionWeight);
    const cited = context.cited.map((id) => this.#terms.chunksOf.get(id)?.[0]).filter((c): c is number => c !== undefined);
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
      const own = this.#terms.chunksOf.get(s.id)?.[0];
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


}

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

function normalise(scores: number[]): number[] {
  const max = Math.max(0, ...scores);
  return max > 0 ? scores.map((s) => s / max) : scores.map(() => 0);
}
