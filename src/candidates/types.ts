/**
 * What the first stage hands on: the candidates with their evidence (`Retrieval`), what the second stage
 * may ask of the article (`Knowledge`), a follow-up's context, and the question as read once
 * (`QuestionView`), shared by `retrieval.ts` and `candidate-evidence.ts`.
 */
import type { Sentence } from '../article/chunker.js';
import type { Analysis } from '../language/nlp.js';
import type { AnswerKind, WhType } from './features.js';

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

/** A question word as aligned: its lemma, the forms written, its IDF and whether a name or number. */
export interface Term {
  lemma: string;
  written: string[];
  /** IDF over sentences times `weight`. */
  idf: number;
  /** 1 for the question's own words; the fitted share for an earlier question's. */
  weight: number;
  name: boolean;
}

/** A question as `Retriever` reads it once, for candidate search and evidence. */
export interface QuestionView {
  q: Analysis;
  /** The question's own question word and answer kind. */
  own: { wh: WhType; kind?: AnswerKind };
  /** A follow-up's earlier question, analysed. */
  earlier?: Analysis;
  /** The question word and answer kind used (the earlier question's when the follow-up has none). */
  wh: WhType;
  kind?: AnswerKind;
  /** The question's own embedding. */
  vector: Float32Array;
  /** The earlier question's embedding, when it was embedded here. */
  blendedFrom?: Float32Array;
  /** The embedding searched with (blended for a follow-up). */
  qv: Float32Array;
  /** Sentences in the article. */
  n: number;
  ownTerms: Term[];
  earlierTerms: Term[];
  terms: Term[];
  qTerms: string[];
  written: string[][];
  idf: number[];
  isName: boolean[];
  idfTotal: number;
  questionWords: Set<string>;
  /** Per term: the article lemmas it matches through WordNet, an abbreviation or an acronym. */
  related: Set<string>[];
}

/** The candidates a question's search picked, with the lexical scores the evidence reuses. */
export interface CandidateSearch {
  chosen: { id: number; score: number }[];
  cited: Set<number>;
  adjacent: Set<number>;
  sentenceLex: number[];
  paragraphLex: number[];
}
