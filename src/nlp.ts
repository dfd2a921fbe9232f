/**
 * Linguistic analysis with wink-nlp and its English lite model: tokens, lemmas, part of speech, stop
 * words, negation and entities (dates, times, durations, numbers, money, percentages …).
 *
 * Sentences are analysed once, when the index is built, and the result is stored with the index; a
 * question costs one `analyse` call. The model loads once per process (about 150 ms).
 */
import winkNLP from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import type { Names } from './names.js';

/** Bump when the stored analysis changes shape or meaning: an index holding another version is rebuilt. */
export const NLP_VERSION = `wink-${'1.8'}-v2`;

export interface Analysis {
  /** Lower-case tokens as written. */
  tokens: string[];
  /** Lower-case lemmas, one per token. */
  lemmas: string[];
  /** Universal part-of-speech tags, one per token. */
  pos: string[];
  /** Indexes of content tokens: not a stop word, not punctuation, not a function word. */
  content: number[];
  /** Entities: [type, first token, last token] (DATE, TIME, DURATION, CARDINAL, MONEY, PERCENT …). */
  entities: [string, number, number][];
  /** Whether any token is a negation (not, never, no …). */
  negated: boolean;
  /** People, places and organisations (compromise), for article sentences: stored with the index. */
  names?: Names;
}

type Nlp = ReturnType<typeof winkNLP>;
let nlp: Nlp | undefined;

function instance(): Nlp {
  return (nlp ??= winkNLP(model));
}

const FUNCTION_POS = new Set(['PUNCT', 'SYM', 'DET', 'ADP', 'CCONJ', 'SCONJ', 'PART', 'PRON', 'AUX', 'SPACE', 'INTJ']);

export function analyse(text: string): Analysis {
  const n = instance();
  const its = n.its;
  const doc = n.readDoc(text);
  // wink's typings describe `normal` with an add-ons parameter the token collection does not take.
  const tokens = doc.tokens().out(its.normal as unknown as typeof its.value) as string[];
  // Same typings mismatch for `lemma`.
  // Hyphens inside a word are folded, so "cease-fire" and "ceasefire" are one lemma.
  const lemmas = (doc.tokens().out(its.lemma as unknown as typeof its.value) as string[]).map(foldLemma);
  const pos = doc.tokens().out(its.pos) as string[];
  const stop = doc.tokens().out(its.stopWordFlag) as unknown as boolean[];
  const negation = doc.tokens().out(its.negationFlag) as unknown as boolean[];
  const content: number[] = [];
  tokens.forEach((t, i) => {
    if (!stop[i] && !FUNCTION_POS.has(pos[i]!) && /[\p{L}\p{N}]/u.test(t)) content.push(i);
  });
  const entities: [string, number, number][] = [];
  doc.entities().each((e: ReturnType<ReturnType<typeof doc.entities>['itemAt']>) => {
    const [from, to] = e.out(its.span) as unknown as [number, number];
    entities.push([e.out(its.type) as string, from, to]);
  });
  const negated = tokens.some((t, i) => negation[i] === true || /^(?:not|n't|never|no|nor|neither|none|without)$/.test(t));
  return { tokens, lemmas, pos, content, entities, negated };
}

/** Lower case, with hyphens between letters or digits removed ("Cease-fire" → "ceasefire", "F-35" → "f35"). */
export function foldLemma(lemma: string): string {
  return lemma.toLowerCase().replace(/(?<=[\p{L}\p{N}])-(?=[\p{L}\p{N}])/gu, '');
}

/** Content lemmas of a text, in order (duplicates kept). */
export function contentLemmas(a: Analysis): string[] {
  return a.content.map((i) => a.lemmas[i]!);
}

/** Sentence spans as wink-nlp splits them, for comparing splitters. */
export function winkSentences(text: string): string[] {
  const n = instance();
  return n.readDoc(text).sentences().out() as string[];
}
