/**
 * The second stage: it sees the first stage's best `k` candidates together and says, for each, how likely
 * it is to be the sentence that answers. It compares candidates with each other (which one holds the
 * kind of answer asked for where the others don't, which one is first by the dense, lexical, alignment
 * and soft views, the margin over the runner-up), checks what the question names against what each
 * candidate accounts for (a name the paragraph lacks but the article has elsewhere: a swapped entity;
 * a negation or an antonym), and adds knowledge the first stage lacks (a "what car" question met by a
 * sentence naming a limousine: WordNet hypernyms stored with the index).
 *
 * Its scorer is a logistic regression over the named features below, fitted by `npm run train` on the
 * first stage's top-k lists of questions the first stage never saw (cross-validated by article). The
 * calibrated probability of its best candidate is Footnote's confidence; the bands (`answer`, `likely`,
 * `refused`) are cut from it (`answer-model.ts`). No weights live here.
 */
import type { Analysis } from '../language/nlp.js';
import { RANKER_FEATURES, WH_TYPES, type RankerFeature } from '../candidates/features.js';
import type { Knowledge, Retrieval } from '../candidates/retrieval.js';

/** How many of the first stage's best candidates the second stage weighs. */
export const SECOND_STAGE_K = 8;

export const SECOND_STAGE_FEATURES = [
  // The first stage's view of the candidate.
  's1_gap', // its ranker score minus the best one's (≤ 0)
  's1_prob', // its softmax probability among the k
  's1_rank', // 1 / (1 + its rank)
  's1_margin', // its score minus the best other candidate's (> 0 only for the first)
  's1_confidence', // the first stage's confidence logit for the question (the same for every candidate)
  // The reader (cross-encoder): the candidate's logit, against the best of the k, first of the k or not.
  'reader',
  'reader_gap_k',
  'reader_first',
  // The candidate's own evidence.
  'dense_sentence',
  'dense_window',
  'bm25_sentence',
  'align_related',
  'align_window',
  'align_rest',
  'name_align',
  'missing_max_idf',
  'type_match',
  'soft_sentence',
  'bigram_share',
  // Against the other candidates.
  'dense_first', // first of the k by dense similarity
  'bm25_first', // … by BM25
  'align_first', // … by alignment (lemma or related)
  'soft_first', // … by soft (GloVe) alignment
  'views_agree', // share of those four views that put it first
  'dense_gap_k', // its dense similarity minus the best of the k
  'align_gap_k', // its alignment minus the best of the k
  'soft_gap_k', // its soft alignment minus the best of the k
  'type_unique', // it holds the kind of answer asked for and no other of the k does
  'type_share_k', // share of the k that hold it
  // What the question names, accounted for or not.
  'negation_mismatch', // the question is negated and the sentence is not, or the reverse
  'missing_name', // a name or number of the question is in neither its paragraph nor a related word
  'swapped_name', // … and the article uses it elsewhere (the question is about someone or something else)
  'missing_share', // share of question words the sentence and its neighbours lack
  'antonym', // a question word is a WordNet antonym of one of its words
  'swapped_word', // IDF share of the rarest question word the sentence and its neighbours lack but the article uses elsewhere
  'match_density', // the question's words in the sentence, over the span of tokens they cover (1: side by side, as in one clause)
  'pronoun_antecedent', // the sentence refers back (he, she, it, they …) and a name of the question it lacks is in the sentence before
  // Knowledge.
  'focus_asked', // the question asks "what/which <noun>" (question level)
  'focus_kind', // the sentence names a kind of that noun beyond the question's words (WordNet hypernym)
  'focus_named', // the sentence uses the noun itself
  // The question.
  'article_missing_share',
  'article_missing_max_idf',
  'unknown_name',
  'log_terms',
  ...WH_TYPES.map((w) => `wh_${w}`),
] as const;

export type SecondStageFeature = (typeof SECOND_STAGE_FEATURES)[number];

/** The nouns a question asks the kind of: "what car", "which senator", "what kind of plane". */
export function focusNoun(q: Analysis): string | undefined {
  const at = q.tokens.findIndex((t) => t === 'what' || t === 'which');
  if (at < 0) return undefined;
  let i = at + 1;
  // "what kind of plane", "which type of car": the noun after "of".
  if (/^(?:kind|type|sort|form)$/.test(q.lemmas[i] ?? '') && q.tokens[i + 1] === 'of') i += 2;
  // An adjective may come first ("what black car").
  while (q.pos[i] === 'ADJ') i++;
  return q.pos[i] === 'NOUN' ? q.lemmas[i] : undefined;
}

/**
 * The second stage's rows: for the first stage's best `k` candidates (`order` is its ranking, `logits`
 * its scores, `confidence` its confidence logit), one feature row each, in that order.
 */
export function secondStageRows(r: Retrieval, logits: readonly number[], order: readonly number[], confidence: number, knowledge: Knowledge | undefined, k = SECOND_STAGE_K): { ids: number[]; rows: number[][] } {
  const ids = order.slice(0, k);
  if (ids.length === 0) return { ids, rows: [] };
  const col = (name: RankerFeature) => RANKER_FEATURES.indexOf(name);
  const f = (i: number, name: RankerFeature) => r.candidates[i]!.features[col(name)]!;
  const best = logits[ids[0]!]!;
  const exps = ids.map((i) => Math.exp(logits[i]! - best));
  const z = exps.reduce((a, b) => a + b, 0);
  const maxOf = (name: RankerFeature) => Math.max(...ids.map((i) => f(i, name)));
  const firstBy = (name: RankerFeature) => {
    let top = ids[0]!;
    for (const i of ids) if (f(i, name) > f(top, name)) top = i;
    return top;
  };
  const views = (['dense_sentence', 'bm25_sentence', 'align_related', 'soft_sentence'] as const).map(firstBy);
  const maxDense = maxOf('dense_sentence');
  const maxAlign = maxOf('align_related');
  const maxSoft = maxOf('soft_sentence');
  const maxReader = maxOf('reader');
  const readerFirst = firstBy('reader');
  const typed = ids.filter((i) => f(i, 'type_match') === 1).length;
  const focus = focusNoun(r.question);
  const questionWords = r.questionLevel.questionWords;
  const rows = ids.map((i, rank) => {
    const c = r.candidates[i]!;
    const others = ids.filter((j) => j !== i);
    const runnerUp = others.length ? Math.max(...others.map((j) => logits[j]!)) : logits[i]! - 5;
    const evidence = knowledge ? accounting(r, c.sentence.id, knowledge) : { swappedWord: 0, density: 0, antecedent: 0 };
    let focusKind = 0;
    let focusNamed = 0;
    if (focus && knowledge) {
      const a = knowledge.analysisOf(c.sentence.id);
      for (const t of a.content) {
        const lemma = a.lemmas[t]!;
        if (lemma === focus) focusNamed = 1;
        else if (!questionWords.has(lemma) && !questionWords.has(a.tokens[t]!) && knowledge.hypernymsOf(lemma)?.includes(focus)) focusKind = 1;
      }
    }
    const values: Record<SecondStageFeature, number> = {
      s1_gap: logits[i]! - best,
      s1_prob: exps[rank]! / z,
      s1_rank: 1 / (1 + rank),
      s1_margin: logits[i]! - runnerUp,
      s1_confidence: confidence,
      reader: f(i, 'reader'),
      reader_gap_k: f(i, 'reader') - maxReader,
      reader_first: readerFirst === i ? 1 : 0,
      dense_sentence: f(i, 'dense_sentence'),
      dense_window: f(i, 'dense_window'),
      bm25_sentence: f(i, 'bm25_sentence'),
      align_related: f(i, 'align_related'),
      align_window: f(i, 'align_window'),
      align_rest: f(i, 'align_rest'),
      name_align: f(i, 'name_align'),
      missing_max_idf: f(i, 'missing_max_idf'),
      type_match: f(i, 'type_match'),
      soft_sentence: f(i, 'soft_sentence'),
      bigram_share: f(i, 'bigram_share'),
      dense_first: views[0] === i ? 1 : 0,
      bm25_first: views[1] === i ? 1 : 0,
      align_first: views[2] === i ? 1 : 0,
      soft_first: views[3] === i ? 1 : 0,
      views_agree: views.filter((v) => v === i).length / views.length,
      dense_gap_k: f(i, 'dense_sentence') - maxDense,
      align_gap_k: f(i, 'align_related') - maxAlign,
      soft_gap_k: f(i, 'soft_sentence') - maxSoft,
      type_unique: f(i, 'type_match') === 1 && typed === 1 ? 1 : 0,
      type_share_k: typed / ids.length,
      negation_mismatch: r.question.negated !== c.signals.negated ? 1 : 0,
      missing_name: c.signals.missingName ? 1 : 0,
      swapped_name: c.signals.swappedName ? 1 : 0,
      missing_share: c.signals.missingShare,
      antonym: c.signals.antonym ? 1 : 0,
      swapped_word: evidence.swappedWord,
      match_density: evidence.density,
      pronoun_antecedent: evidence.antecedent,
      focus_asked: focus ? 1 : 0,
      focus_kind: focusKind,
      focus_named: focusNamed,
      article_missing_share: r.questionLevel.articleMissingShare,
      article_missing_max_idf: r.questionLevel.articleMissingMaxIdf,
      unknown_name: r.questionLevel.unknownName,
      log_terms: Math.log1p(r.questionLevel.terms),
      wh_who: 0,
      wh_when: 0,
      wh_where: 0,
      wh_what: 0,
      wh_which: 0,
      wh_how_many: 0,
      wh_how: 0,
      wh_why: 0,
      wh_other: 0,
    };
    values[`wh_${r.wh}`] = 1;
    return SECOND_STAGE_FEATURES.map((name) => values[name]!);
  });
  return { ids, rows };
}

const REFERS_BACK = /^(?:he|she|it|they|him|her|them|his|its|their|hers|theirs)$/;

/** How a candidate accounts for the question's words: swapped for others, side by side, or through the sentence before. */
function accounting(r: Retrieval, id: number, knowledge: Knowledge): { swappedWord: number; density: number; antecedent: number } {
  const terms = r.terms ?? [];
  const a = knowledge.analysisOf(id);
  const { previous, next } = knowledge.neighbours(id);
  const lemmasOf = (j: number | undefined) => (j === undefined ? new Set<string>() : new Set(knowledge.analysisOf(j).lemmas));
  const own = new Set(a.lemmas);
  const before = lemmasOf(previous);
  const after = lemmasOf(next);
  const found = (t: (typeof terms)[number], lemmas: ReadonlySet<string>) => lemmas.has(t.lemma) || [...t.related].some((l) => lemmas.has(l));
  let swappedWord = 0;
  let antecedent = 0;
  const refersBack = a.tokens.some((t, i) => a.pos[i] === 'PRON' && REFERS_BACK.test(t));
  for (const t of terms) {
    if (found(t, own)) continue;
    if (refersBack && t.name && found(t, before)) antecedent = 1;
    if (!found(t, before) && !found(t, after) && knowledge.inArticle(t.lemma)) swappedWord = Math.max(swappedWord, t.idf);
  }
  const positions: number[] = [];
  a.lemmas.forEach((l, i) => {
    if (terms.some((t) => t.lemma === l || t.related.has(l))) positions.push(i);
  });
  const density = positions.length >= 2 ? positions.length / (positions.at(-1)! - positions[0]! + 1) : positions.length;
  return { swappedWord, density, antecedent };
}

/**
 * The raw score of "one of the passages shown answers": the log-odds of at least one of the best `shown`
 * candidates answering, were their probabilities independent (calibrated in training).
 */
export function foundScore(probabilities: readonly number[], shown = 3): number {
  const none = probabilities.slice(0, shown).reduce((p, x) => p * (1 - x), 1);
  const any = Math.min(1 - 1e-6, Math.max(1e-6, 1 - none));
  return Math.log(any / (1 - any));
}
