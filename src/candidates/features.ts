/**
 * The named features the answer model reads. Two sets:
 *
 * - per candidate sentence (`RANKER_FEATURES`): how well a sentence answers the question;
 * - per question (`ANSWERABLE_FEATURES`): whether the article answers it at all, read off the best
 *   candidate and the question itself.
 *
 * Every feature is a number you can explain; none mentions a word of any particular article. Feature
 * order is part of the weights file's contract: the loader refuses weights trained on another list.
 */
import type { Analysis } from '../language/nlp.js';

export const BASE_RANKER_FEATURES = [
  'dense_sentence', // cosine of the question and the sentence
  'dense_window', // best cosine of the question and a two-sentence window holding the sentence
  'dense_gap', // dense_sentence minus the best dense_sentence among candidates (≤ 0)
  'dense_rank', // 1 / (1 + rank of the sentence among candidates by dense_sentence)
  'dense_paragraph', // cosine of the question and the paragraph's centroid
  'bm25_sentence', // BM25 of the sentence over lemmas, ÷ the best sentence's
  'bm25_paragraph', // BM25 of the sentence's paragraph, ÷ the best paragraph's
  'bm25_rank', // 1 / (1 + rank of the sentence among candidates by BM25)
  'align_exact', // IDF-weighted share of question words found as written
  'align_lemma', // … found by lemma
  'align_related', // … found by lemma or a WordNet synonym / derived form
  'align_window', // … found (lemma or related) in the sentence or its neighbours
  'align_paragraph', // … found (lemma or related) in the paragraph
  'missing_max_idf', // IDF of the most important question word the sentence lacks, ÷ the largest IDF
  'missing_paragraph_max_idf', // the same for the paragraph
  'bigram_share', // share of the question's adjacent content-lemma pairs found adjacent in the sentence
  'name_align', // share of the question's names and numbers found in the sentence or its neighbours (1 if none)
  'align_rest', // IDF-weighted share of the question's other words (not names or numbers) found in the sentence, lemma or related (1 if none)
  'type_match', // the sentence holds the kind of answer asked for (date, number …: an entity; person, place: a proper noun), beyond the question's words
  'type_entity', // type_match through a date, time, number, money or percentage entity
  'novel_share', // share of the sentence's content lemmas that are not in the question
  'log_tokens', // log(1 + tokens in the sentence)
  'first_in_paragraph', // 1 for a paragraph's first sentence
  'soft_sentence', // IDF-weighted mean over question words of the best GloVe cosine with a sentence word (1 for the same lemma)
  'soft_window', // … with a word of the sentence or its neighbours
  'soft_paragraph', // … with a word of the paragraph
  'soft_precision', // mean over the sentence's words of the best cosine with a question word (lower for long sentences)
  'prev_align', // align_related of the previous sentence of the paragraph alone (0 for the first)
  'next_align', // … of the next sentence (0 for the last)
  'prev_dense', // dense_sentence of the previous sentence of the paragraph (0 for the first)
  'next_dense', // … of the next sentence (0 for the last)
  'reader', // the reader's logit (cross-encoder, `reader/`) that the sentence answers; READER_FLOOR when it wasn't read
  'reader_gap', // reader minus the best reader logit among candidates (≤ 0)
] as const;

export const WH_TYPES = ['who', 'when', 'where', 'what', 'which', 'how_many', 'how', 'why', 'other'] as const;
export type WhType = (typeof WH_TYPES)[number];

/**
 * Kinds of answer a sentence can hold beyond the question's words, each crossed with the question word:
 * a proper noun, a date, a number (wink-nlp); a person, a place, an organisation, and two or more people
 * (a list of names: who went with whom, who was on a team), from compromise.
 */
export const FRESH_KINDS = ['propn', 'date', 'number', 'person', 'place', 'org', 'people'] as const;
export type FreshKind = (typeof FRESH_KINDS)[number];

/** Kinds of unit other than body text, each crossed with the question word (the article's structure). */
export const UNIT_FEATURE_KINDS = ['caption', 'credit', 'byline', 'dateline'] as const;

/**
 * Ranker features: the base list, then "the sentence holds a new proper noun / date / number / person …"
 * crossed with each question word (`fresh_propn_x_who` …), and the unit's kind crossed with the question
 * word (`unit_credit_x_who` …), so the data decides which kind of answer and unit each question word
 * wants, instead of a hand-written table.
 */
export const RANKER_FEATURES: readonly string[] = [
  ...BASE_RANKER_FEATURES,
  ...FRESH_KINDS.flatMap((k) => WH_TYPES.map((w) => `fresh_${k}_x_${w}`)),
  ...UNIT_FEATURE_KINDS.flatMap((k) => WH_TYPES.map((w) => `unit_${k}_x_${w}`)),
];

export const ANSWERABLE_FEATURES = [
  'top_logit', // ranker score of the best candidate
  'top_prob', // its softmax probability among candidates
  'top_margin', // best minus second-best ranker score
  'top_dense', // dense_sentence of the best candidate
  'top_align_related', // align_related of the best candidate
  'top_missing_max_idf', // missing_max_idf of the best candidate
  'top_paragraph_missing_max_idf', // missing_paragraph_max_idf of the best candidate
  'top_type_match', // type_match of the best candidate
  'top_name_align', // name_align of the best candidate
  'top_align_rest', // align_rest of the best candidate: what the question asks about its names, found there
  'top_missing_name', // a name or number of the question is in neither the best sentence's paragraph nor a related word
  'top_missing_share', // share of question words the best sentence and its neighbours lack
  'antonym_in_top', // a question word is a WordNet antonym of a word of the best sentence
  'second_prob', // softmax probability of the second candidate
  'article_missing_share', // IDF-weighted share of question words the article never uses (nor a related word)
  'article_missing_max_idf', // the largest IDF among those, ÷ the largest IDF
  'unknown_name', // a capitalised word (not the first) the article never uses
  'type_unseen', // the question asks for a kind of answer no candidate holds
  'negation_mismatch', // the question is negated and the best sentence is not, or the reverse
  'wh_who', 'wh_when', 'wh_where', 'wh_what', 'wh_which', 'wh_how_many', 'wh_how', 'wh_why', 'wh_other',
  'log_terms', // log(1 + content words in the question)
] as const;

export type RankerFeature = (typeof BASE_RANKER_FEATURES)[number];
export type AnswerableFeature = (typeof ANSWERABLE_FEATURES)[number];

export type AnswerKind = 'person' | 'place' | 'date' | 'number' | 'duration' | 'percent' | 'money';

const DATE_NOUNS = /^(?:year|date|day|month|decade|century|era|period|time|age)$/;
const MEASURE_ADJ = /^(?:old|tall|far|big|large|high|long|wide|deep|heavy|fast|much|many|often)$/;

/** The question word (first of who/what/when/… anywhere in the question) and the kind of answer it wants. */
export function questionType(q: Analysis): { wh: WhType; kind?: AnswerKind } {
  const t = q.tokens;
  for (let i = 0; i < t.length; i++) {
    // "whats", "whos" (typed without the apostrophe) ask what and who.
    const w = /^(?:what|who|where|when|how|why)s$/.test(t[i]!) ? t[i]!.slice(0, -1) : t[i]!;
    const next = t[i + 1] ?? '';
    switch (w) {
      case 'who':
      case 'whom':
      case 'whose':
        return { wh: 'who', kind: 'person' };
      case 'when':
        return { wh: 'when', kind: 'date' };
      case 'where':
        return { wh: 'where', kind: 'place' };
      case 'why':
        return { wh: 'why' };
      case 'how':
        if (next === 'many') return { wh: 'how_many', kind: 'number' };
        if (next === 'much') return { wh: 'how_many', kind: 'number' };
        if (next === 'long') return { wh: 'how', kind: 'duration' };
        if (MEASURE_ADJ.test(next)) return { wh: 'how', kind: 'number' };
        return { wh: 'how' };
      case 'what':
      case 'which': {
        const wh = w as 'what' | 'which';
        const lemma = q.lemmas[i + 1] ?? '';
        if (DATE_NOUNS.test(lemma)) return { wh, kind: 'date' };
        if (/^(?:percentage|percent|proportion)$/.test(lemma)) return { wh, kind: 'percent' };
        if (/^(?:number|amount|quantity)$/.test(lemma)) return { wh, kind: 'number' };
        if (/^(?:price|cost)$/.test(lemma)) return { wh, kind: 'money' };
        return { wh };
      }
    }
  }
  return { wh: 'other' };
}

const ENTITY_KINDS: Record<AnswerKind, RegExp> = {
  person: /^$/,
  place: /^$/,
  date: /^(?:DATE|TIME)$/,
  number: /^(?:CARDINAL|MONEY|PERCENT|DURATION|ORDINAL)$/,
  duration: /^DURATION$/,
  percent: /^PERCENT$/,
  money: /^MONEY$/,
};

/** Whether the sentence holds a `kind` answer that is not just the question's own words. */
export function holdsKind(s: Analysis, kind: AnswerKind, questionWords: ReadonlySet<string>): boolean {
  const fresh = (i: number) => !questionWords.has(s.tokens[i]!) && !questionWords.has(s.lemmas[i]!);
  if (kind === 'person' || kind === 'place') return s.pos.some((p, i) => p === 'PROPN' && fresh(i));
  if (s.entities.some(([type, from, to]) => ENTITY_KINDS[kind].test(type) && range(from, to).some(fresh))) return true;
  if (kind === 'date') return s.tokens.some((w, i) => /^(?:1\d{3}|20\d\d|\d{1,4}s)$/.test(w) && fresh(i));
  if (kind === 'number') return s.pos.some((p, i) => p === 'NUM' && fresh(i));
  if (kind === 'percent') return s.tokens.some((w, i) => (w === '%' || w === 'percent') && fresh(i));
  return false;
}

/** Token indexes of a kind-`kind` answer in the sentence (for bolding); empty when none. */
export function kindTokens(s: Analysis, kind: AnswerKind, questionWords: ReadonlySet<string>): number[] {
  const fresh = (i: number) => !questionWords.has(s.tokens[i]!) && !questionWords.has(s.lemmas[i]!);
  if (kind === 'person' || kind === 'place') {
    // The first run of fresh proper nouns.
    const first = s.pos.findIndex((p, i) => p === 'PROPN' && fresh(i));
    if (first < 0) return [];
    let last = first;
    while (s.pos[last + 1] === 'PROPN') last++;
    return range(first, last);
  }
  const entity = s.entities.find(([type, from, to]) => ENTITY_KINDS[kind].test(type) && range(from, to).some(fresh));
  if (entity) return range(entity[1], entity[2]);
  const single = s.tokens.findIndex((w, i) => fresh(i) && (kind === 'date' ? /^(?:1\d{3}|20\d\d)$/.test(w) : s.pos[i] === 'NUM'));
  return single < 0 ? [] : [single];
}

/** How many of the sentence's compromise names of a kind share no word with the question. */
export function freshNames(s: Analysis, kind: 'people' | 'places' | 'organizations', questionWords: ReadonlySet<string>): number {
  return (s.names?.[kind] ?? []).filter((name) => !name.split(/[\s'’-]+/).some((w) => questionWords.has(w) || questionWords.has(w.replace(/['’]s$/, '')))).length;
}

/** Whether the sentence holds each of `FRESH_KINDS`, beyond the question's words (1 or 0, in order). */
export function freshKinds(s: Analysis, questionWords: ReadonlySet<string>): number[] {
  const people = freshNames(s, 'people', questionWords);
  const values: Record<FreshKind, boolean> = {
    propn: holdsKind(s, 'person', questionWords),
    date: holdsKind(s, 'date', questionWords),
    number: holdsKind(s, 'number', questionWords),
    person: people > 0,
    place: freshNames(s, 'places', questionWords) > 0,
    org: freshNames(s, 'organizations', questionWords) > 0,
    people: people >= 2,
  };
  return FRESH_KINDS.map((k) => (values[k] ? 1 : 0));
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i++) out.push(i);
  return out;
}

/**
 * The follow-up gate's features: what a question asked after another looks like on its own (few words of
 * its own, a pronoun pointing outside it, a leading "and", no question word) and how the two readings
 * fare (the calibrated confidence alone and in the light of the earlier turn, and whether they agree).
 */
export const FOLLOW_UP_FEATURES = [
  'own_terms',
  'anaphora',
  'leading_conjunction',
  'no_question_word',
  'alone_confidence',
  'resolved_confidence',
  'confidence_gain',
  'same_answer',
  'alone_unknown_share',
  'alone_missing_name',
] as const;

/**
 * The follow-up re-ranker's features, per candidate of a question read as a follow-up: the ranker's own
 * score, and how the candidate stands to the earlier turn (cited by its answer, next to a cited sentence,
 * in a cited paragraph; its similarity to the earlier question and to the follow-up alone; the share of
 * the earlier question's names it holds, with its neighbours).
 */
export const FOLLOW_UP_RANKER_FEATURES = ['ranker_logit', 'cited', 'cited_neighbour', 'cited_paragraph', 'dense_earlier', 'dense_own', 'earlier_names'] as const;

