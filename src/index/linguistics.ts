/**
 * Per-sentence linguistic data, computed once when the index is built and stored with it: each
 * sentence's wink-nlp analysis with the names compromise finds in it, and for each content lemma of the article the WordNet words related to
 * it. A question then costs one wink-nlp pass and no WordNet lookup.
 */
import { unitText, type Sentence } from '../article/chunker.js';
import { names } from '../language/names.js';
import { analyse, contentLemmas, NLP_VERSION, type Analysis } from '../language/nlp.js';
import { WordNet, WORDNET_VERSION } from '../language/wordnet.js';

export const LINGUISTICS_VERSION = `${NLP_VERSION}+${WORDNET_VERSION}+compromise-14-v3+hypernyms-1`;

export interface Linguistics {
  /** One analysis per sentence, by sentence id. */
  analysis: Analysis[];
  /** Article lemma → related words (WordNet synonyms of its common senses and derived forms). */
  lexicon: Record<string, string[]>;
  /** Article lemma → its WordNet antonyms (for questions that turn a statement around). */
  antonyms: Record<string, string[]>;
  /**
   * Article noun lemma → the kinds of thing it is (WordNet hypernyms and instance hypernyms: "limousine" →
   * car, vehicle …), so "what car" can find a sentence that names a limousine. Optional: indexes built
   * before it have none.
   */
  hypernyms?: Record<string, string[]>;
}

export function analyseSentences(sentences: readonly Sentence[]): Linguistics {
  const analysis = sentences.map((s) => ({ ...analyse(unitText(s)), names: names(s.text) }));
  // Loaded for this build only (about 35 MB of dictionary files), then left to the garbage collector.
  const wordnet = WordNet.load();
  const lexicon: Record<string, string[]> = {};
  const antonyms: Record<string, string[]> = {};
  const hypernyms: Record<string, string[]> = {};
  for (const a of analysis) {
    for (const i of a.content) {
      const lemma = a.lemmas[i]!;
      if ((a.pos[i] !== 'NOUN' && a.pos[i] !== 'PROPN') || lemma in hypernyms || !/^[a-z][a-z-]+$/.test(lemma)) continue;
      const kinds = wordnet.hypernyms(lemma);
      if (kinds.length) hypernyms[lemma] = kinds;
    }
    for (const lemma of contentLemmas(a)) {
      if (lemma in lexicon || !/^[a-z][a-z-]+$/.test(lemma)) continue;
      lexicon[lemma] = wordnet.related(lemma);
      const opposite = wordnet.antonyms(lemma);
      if (opposite.length) antonyms[lemma] = opposite;
    }
  }
  return { analysis, lexicon, antonyms, hypernyms };
}
