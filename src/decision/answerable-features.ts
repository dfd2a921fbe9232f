/**
 * The answerable model's question-level features (`ANSWERABLE_FEATURES`), read off the ranked candidates:
 * how far the best is ahead, its evidence and signals, and what the question asks that the article lacks.
 */
import { ANSWERABLE_FEATURES, RANKER_FEATURES, type RankerFeature } from '../candidates/features.js';
import type { Retrieval } from '../candidates/types.js';

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
