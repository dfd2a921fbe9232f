/**
 * The article's words, indexed once per article for the first stage: BM25 over sentences and paragraphs;
 * each sentence's lemmas, tokens, content bigrams and word vectors; WordNet's related words and antonyms,
 * inverted; the article's vocabulary, abbreviations and acronyms; the chunks covering each sentence.
 */
import type { Article } from '../article/article.js';
import type { Chunked } from '../article/chunker.js';
import type { Linguistics } from '../index/linguistics.js';
import { contentLemmas, foldLemma, type Analysis } from '../language/nlp.js';
import type { WordVectors } from '../language/word-vectors.js';
import { Bm25 } from './bm25.js';
import type { Term } from './types.js';

export class ArticleTerms {
  readonly sentenceBm25: Bm25;
  readonly paragraphBm25: Bm25;
  /** Per sentence: lemma set, surface token set, bigrams of content lemmas. */
  readonly sentenceLemmas: Set<string>[];
  readonly sentenceTokens: Set<string>[];
  readonly sentenceBigrams: Set<string>[];
  readonly paragraphLemmas: Set<string>[];
  /** Sentence ids of each paragraph. */
  readonly paragraphSentences: number[][];
  /** Related word → the article lemmas it is related to. */
  readonly relatedTo = new Map<string, Set<string>>();
  /** Antonym → the article lemmas it is the opposite of. */
  readonly oppositeOf = new Map<string, Set<string>>();
  /** Every token and lemma the article uses. */
  readonly vocabulary = new Set<string>();
  readonly maxIdf: number;
  /**
   * The article's abbreviations of three letters or more, as wink-nlp's tokenizer keeps them (one token with its period: "sen.",
   * "gov."): a question word they shorten by truncation ("senator", "governor") matches them.
   */
  readonly abbreviations: string[];
  /**
   * Acronyms of the article's names of several capitalised words, lower case, with those words' lemmas:
   * "nato" → north, atlantic, treaty, organization. A question's acronym the article spells out matches them.
   */
  readonly acronyms = new Map<string, Set<string>>();
  /** sentence id → the chunks covering it (its own chunk first). */
  readonly chunksOf = new Map<number, number[]>();
  /** Per sentence: the unit vectors of its distinct content words (soft alignment); empty without word vectors. */
  readonly sentenceWordVectors: Float32Array[][];

  constructor(article: Article, chunked: Chunked, analysis: readonly Analysis[], linguistics: Linguistics, wordVectors?: WordVectors) {
    const sentenceTerms = analysis.map(contentLemmas);
    this.sentenceBm25 = new Bm25(sentenceTerms);
    this.sentenceLemmas = analysis.map((a) => new Set(a.lemmas));
    this.sentenceTokens = analysis.map((a) => new Set(a.tokens));
    this.sentenceBigrams = sentenceTerms.map(bigrams);
    const paragraphTerms: string[][] = article.paragraphs.map(() => []);
    const paragraphLemmas: Set<string>[] = article.paragraphs.map(() => new Set());
    this.paragraphSentences = article.paragraphs.map((p) => chunked.sentences.filter((s) => s.paragraph === p.n).map((s) => s.id));
    chunked.sentences.forEach((s, i) => {
      paragraphTerms[s.paragraph - 1]!.push(...sentenceTerms[i]!);
      for (const l of analysis[i]!.lemmas) paragraphLemmas[s.paragraph - 1]!.add(l);
    });
    this.paragraphBm25 = new Bm25(paragraphTerms);
    this.paragraphLemmas = paragraphLemmas;
    for (const a of analysis) for (let i = 0; i < a.tokens.length; i++) this.vocabulary.add(a.tokens[i]!).add(a.lemmas[i]!);
    this.abbreviations = [...this.vocabulary].filter((l) => /^\p{L}{3,}\.$/u.test(l));
    for (const s of chunked.sentences) {
      // Two or more capitalised words, with "of", "the", "and", "for" between them ("North Atlantic Treaty Organization").
      for (const m of s.text.matchAll(/\p{Lu}[\p{Ll}]+(?:\s+(?:(?:of|the|and|for)\s+)?\p{Lu}[\p{Ll}]+)+/gu)) {
        const capitalised = m[0].split(/\s+/).filter((w) => /^\p{Lu}/u.test(w));
        const acronym = capitalised.map((w) => w[0]!.toLowerCase()).join('');
        if (acronym.length < 2 || this.vocabulary.has(acronym)) continue;
        const words = this.acronyms.get(acronym) ?? new Set<string>();
        for (const w of capitalised) words.add(foldLemma(w));
        this.acronyms.set(acronym, words);
      }
    }
    invert(linguistics.lexicon, this.relatedTo);
    invert(linguistics.antonyms ?? {}, this.oppositeOf);
    this.maxIdf = Math.log(1 + (this.sentenceBm25.size + 0.5) / 0.5);
    this.sentenceWordVectors = analysis.map((a) => {
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
        const list = this.chunksOf.get(s) ?? [];
        if (c.sentences.length === 1) list.unshift(c.id);
        else list.push(c.id);
        this.chunksOf.set(s, list);
      }
    }
  }

  /** The article lemmas a question word matches besides itself: WordNet's related words, an abbreviation the article uses ("senator" → "sen."), an acronym it only spells out. */
  related(t: string): Set<string> {
    const known = this.vocabulary.has(t);
    const abbreviated = known ? [] : this.abbreviations.filter((a) => t.length > a.length && t.startsWith(a.slice(0, -1)));
    // An acronym the article only spells out ("nato" → North Atlantic Treaty Organization).
    const spelledOut = known ? [] : [...(this.acronyms.get(t) ?? [])];
    const wordnet = this.relatedTo.get(t);
    const extra = [...abbreviated, ...spelledOut];
    return extra.length ? new Set([...(wordnet ?? []), ...extra]) : (wordnet ?? new Set<string>());
  }

  /** Whether two lemmas are WordNet antonyms (one of them a lemma of the article). */
  opposites(a: string, b: string): boolean {
    return Boolean(this.oppositeOf.get(a)?.has(b) || this.oppositeOf.get(b)?.has(a));
  }

  /**
   * A question's unique content lemmas with the forms written ("treaties" for treaty), their IDF over
   * sentences times `weight`, and whether each is a name or number: a proper noun, a numeral or a
   * capitalised word after the first. A word the article never uses whose form without a final "s" it
   * does is that word, typed without the apostrophe of a possessive ("putins plane", "lavrovs job").
   */
  terms(q: Analysis, text: string, weight: number): Term[] {
    for (const i of q.content) {
      const l = q.lemmas[i]!;
      if (l.length > 3 && l.endsWith('s') && !this.vocabulary.has(l) && this.vocabulary.has(l.slice(0, -1))) q.lemmas[i] = l.slice(0, -1);
    }
    const capitalised = new Set((text.match(/(?<=\S\s+)\p{Lu}[\p{L}\p{N}-]*/gu) ?? []).map((w) => w.toLowerCase()));
    return [...new Set(contentLemmas(q))].map((lemma) => {
      const at = q.content.filter((i) => q.lemmas[i] === lemma);
      return {
        lemma,
        written: at.map((i) => q.tokens[i]!),
        idf: weight * (this.sentenceBm25.idf(lemma) || this.maxIdf),
        weight,
        name: at.some((i) => q.pos[i] === 'PROPN' || q.pos[i] === 'NUM' || capitalised.has(q.tokens[i]!)),
      };
    });
  }

  /** A capitalised word of the question (not its first) that the article never uses in any form. */
  unknownName(text: string): boolean {
    const tokens = text.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? [];
    return tokens.some((tok, i) => {
      const word = tok.replace(/['’]s$/, '').replace(/['’-]+$/, '');
      return i > 0 && word.length > 1 && /^\p{Lu}/u.test(word) && !this.vocabulary.has(word.toLowerCase());
    });
  }
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
export function wordVector(wv: WordVectors, token: string, lemma: string): Float32Array | undefined {
  return wv.vector(token) ?? wv.vector(lemma);
}

export function bigrams(lemmas: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (let i = 1; i < lemmas.length; i++) out.add(`${lemmas[i - 1]} ${lemmas[i]}`);
  return out;
}
