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
export const NLP_VERSION = `wink-${'1.8'}-v4`;

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

/**
 * A wh-word or pronoun with "is" ("whats") and an auxiliary with "not" ("didnt", "cant"), typed without the
 * apostrophe: closed classes of English grammar, so the list is complete. Group 1 or 2 is the base word.
 */
export const APOSTROPHE_LESS = /^(?:(what|who|where|when|how|why|that|there|it|he|she)s|(did|does|do|is|was|were|are|has|have|had|could|would|should|ca|wo|must)nt)$/;

const FUNCTION_POS = new Set(['PUNCT', 'SYM', 'DET', 'ADP', 'CCONJ', 'SCONJ', 'PART', 'PRON', 'AUX', 'SPACE', 'INTJ']);

export function analyse(text: string): Analysis {
  const n = instance();
  const its = n.its;
  const doc = n.readDoc(text);
  // wink's typings describe `normal` (and `lemma`) with an add-ons parameter the token collection does not take.
  const rawTokens = doc.tokens().out(its.normal as unknown as typeof its.value) as string[];
  const rawLemmas = doc.tokens().out(its.lemma as unknown as typeof its.value) as string[];
  const rawPos = doc.tokens().out(its.pos) as string[];
  const rawStop = doc.tokens().out(its.stopWordFlag) as unknown as boolean[];
  const rawNegation = doc.tokens().out(its.negationFlag) as unknown as boolean[];
  // wink splits "cease-fire" into cease, -, fire: a compound written with a hyphen is joined back into one
  // token, whose lemma folds the hyphen ("ceasefire"), so both spellings are one lemma.
  const lower = text.toLowerCase();
  const at: number[] = []; // old token index → new token index
  const tokens: string[] = [];
  const lemmas: string[] = [];
  const pos: string[] = [];
  const stop: boolean[] = [];
  const negation: boolean[] = [];
  for (let i = 0; i < rawTokens.length; i++) {
    // Typed without the apostrophe, as in chat ("whats", "didnt"): read as the contraction.
    const bare = APOSTROPHE_LESS.exec(rawTokens[i]!);
    if (bare) {
      at.push(tokens.length);
      tokens.push(rawTokens[i]!);
      lemmas.push(bare[1] ?? bare[2]!);
      pos.push(bare[1] ? 'PRON' : 'AUX');
      stop.push(true);
      negation.push(bare[2] !== undefined);
      continue;
    }
    const joined = rawTokens[i + 1] === '-' && rawTokens[i + 2] !== undefined ? `${rawTokens[i]}-${rawTokens[i + 2]}` : undefined;
    // Two numbers ("2019-2020") are a range, not a compound.
    const words = joined !== undefined && /^[\p{L}\p{N}]/u.test(rawTokens[i]!) && /^[\p{L}\p{N}]/u.test(rawTokens[i + 2]!) && /\p{L}/u.test(joined);
    if (joined && words && lower.includes(joined)) {
      at.push(tokens.length, tokens.length, tokens.length);
      tokens.push(joined);
      lemmas.push(foldLemma(`${rawTokens[i]}-${rawLemmas[i + 2]}`));
      pos.push(rawPos[i + 2]!);
      stop.push(false);
      negation.push(false);
      i += 2;
      continue;
    }
    at.push(tokens.length);
    tokens.push(rawTokens[i]!);
    lemmas.push(foldLemma(rawLemmas[i]!));
    pos.push(rawPos[i]!);
    stop.push(rawStop[i]!);
    negation.push(rawNegation[i]!);
  }
  const content: number[] = [];
  tokens.forEach((t, i) => {
    if (!stop[i] && !FUNCTION_POS.has(pos[i]!) && /[\p{L}\p{N}]/u.test(t)) content.push(i);
  });
  const entities: [string, number, number][] = [];
  doc.entities().each((e: ReturnType<ReturnType<typeof doc.entities>['itemAt']>) => {
    const [from, to] = e.out(its.span) as unknown as [number, number];
    entities.push([e.out(its.type) as string, at[from]!, at[to]!]);
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
