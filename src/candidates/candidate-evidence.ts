/**
 * Per-candidate evidence: the named features of `features.ts` for every candidate the search chose, and
 * the signals read off it (negation, missing or swapped names, antonyms). The reader's logit is filled in
 * after (`retrieval.ts`); until then a candidate holds `READER_FLOOR`.
 */
import type { Chunked } from '../article/chunker.js';
import { dot } from '../index/embedder.js';
import { contentLemmas, type Analysis } from '../language/nlp.js';
import type { WordVectors } from '../language/word-vectors.js';
import { bigrams, wordVector, type ArticleTerms } from './article-terms.js';
import { BASE_RANKER_FEATURES, freshKinds, holdsKind, UNIT_FEATURE_KINDS, WH_TYPES, type RankerFeature } from './features.js';
import type { Candidate, CandidateSearch, QuestionView, RetrievalContext } from './types.js';

/** The `reader` feature of a candidate the reader did not read. */
export const READER_FLOOR = -12;

/** What the evidence reads of the article: its sentences and analyses, its indexed words, its chunk vectors. */
export interface EvidenceSources {
  chunked: Chunked;
  analysis: readonly Analysis[];
  terms: ArticleTerms;
  wordVectors: WordVectors | undefined;
  /** A chunk's embedding. */
  vector(chunk: number): Float32Array;
  /** A paragraph's unit-length mean sentence embedding. */
  centroid(paragraph: number): Float32Array;
}

/** The named features of `features.ts` for every candidate of `search`, and the signals read off it. */
export function candidateEvidence(src: EvidenceSources, v: QuestionView, search: CandidateSearch, context: RetrievalContext | undefined): Candidate[] {
  const at = src.terms;
  const { q, wh, kind, vector, blendedFrom, qv, ownTerms, earlierTerms, qTerms, written, idf, isName, idfTotal, questionWords, related } = v;
  const { chosen, cited, adjacent, sentenceLex, paragraphLex } = search;
  const align = (has: (t: string, k: number) => boolean) => {
    let found = 0;
    let missing = 0;
    qTerms.forEach((t, k) => {
      if (has(t, k)) found += idf[k]!;
      else missing = Math.max(missing, idf[k]!);
    });
    return { share: idfTotal > 0 ? found / idfTotal : 0, missing: missing / at.maxIdf };
  };
  const relatedIn = (lemmas: ReadonlySet<string>, t: string, k: number) => {
    if (lemmas.has(t)) return true;
    for (const l of related[k]!) if (lemmas.has(l)) return true;
    return false;
  };
  // Soft alignment: each question word's best cosine with a word of the sentence (1 for the same lemma).
  const qVectors = qTerms.map((t, k) => (src.wordVectors ? wordVector(src.wordVectors, written[k]![0] ?? t, t) : undefined));
  // Per unit, computed once per question however many candidates share it: each question word's best
  // cosine with one of the unit's words (1 for the same lemma), and the unit's mean best cosine with a
  // question word (the other way round: lower for long units).
  const known = qVectors.filter((v): v is Float32Array => v !== undefined);
  const perUnit = new Map<number, { best: Float64Array; precision: number }>();
  const unitSoft = (j: number) => {
    let u = perUnit.get(j);
    if (u) return u;
    const best = new Float64Array(qTerms.length);
    const lemmas = at.sentenceLemmas[j]!;
    qTerms.forEach((t, k) => (best[k] = lemmas.has(t) ? 1 : 0));
    const own = at.sentenceWordVectors[j]!;
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
    const sentence = src.chunked.sentences[id]!;
    const a = src.analysis[id]!;
    const chunks = at.chunksOf.get(id) ?? [];
    const own = chunks.length ? dot(qv, src.vector(chunks[0]!)) : 0;
    let window = own;
    for (const c of chunks.slice(1)) window = Math.max(window, dot(qv, src.vector(c)));
    const lemmas = at.sentenceLemmas[id]!;
    const tokens = at.sentenceTokens[id]!;
    const neighbours = [id - 1, id, id + 1].filter((j) => src.chunked.sentences[j]?.paragraph === sentence.paragraph);
    const paragraph = at.paragraphLemmas[sentence.paragraph - 1]!;
    const exact = align((_, k) => written[k]!.some((w) => tokens.has(w)));
    const lemma = align((t) => lemmas.has(t));
    const rel = align((t, k) => relatedIn(lemmas, t, k));
    const inWindow = qTerms.map((t, k) => neighbours.some((j) => relatedIn(at.sentenceLemmas[j]!, t, k)));
    const win = align((_, k) => inWindow[k]!);
    const par = align((t, k) => relatedIn(paragraph, t, k));
    // The neighbours on their own: a sentence that answers often follows the one that sets it up.
    const sameParagraph = (j: number) => src.chunked.sentences[j]?.paragraph === sentence.paragraph;
    const alignOf = (j: number) => (sameParagraph(j) ? align((t, k) => relatedIn(at.sentenceLemmas[j]!, t, k)).share : 0);
    const denseOf = (j: number) => {
      const c = at.chunksOf.get(j)?.[0];
      return sameParagraph(j) && c !== undefined ? dot(qv, src.vector(c)) : 0;
    };
    const sentBigrams = at.sentenceBigrams[id]!;
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
      dense_paragraph: dot(qv, src.centroid(sentence.paragraph)),
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
      soft_paragraph: soft(at.paragraphSentences[sentence.paragraph - 1]!),
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
      swappedName: missingNames.some((t) => at.vocabulary.has(t)),
      missingShare: qTerms.length ? inWindow.filter((x) => !x).length / qTerms.length : 0,
      antonym: qTerms.some((t) => [...(at.oppositeOf.get(t) ?? [])].some((l) => lemmas.has(l))),
    };
    return { sentence, values, fresh, units, signals };
  });
  const bestDense = Math.max(...raw.map((r) => r.values.dense_sentence));
  rankInto(raw, (r) => r.values.dense_sentence, (r, v) => (r.values.dense_rank = v));
  rankInto(raw, (r) => r.values.bm25_sentence, (r, v) => (r.values.bm25_rank = v));
  const byWh = (flags: number[]) => flags.flatMap((f) => WH_TYPES.map((w) => (w === wh ? f : 0)));
  const citedParagraphs = new Set([...cited].map((id) => src.chunked.sentences[id]?.paragraph));
  const earlierVector = context ? (context.vector ?? blendedFrom) : undefined;
  const earlierNames = earlierTerms.map((t, k) => (t.name ? ownTerms.length + k : -1)).filter((k) => k >= 0);
  const contextOf = (r: (typeof raw)[number]) => {
    const id = r.sentence.id;
    const chunk = at.chunksOf.get(id)?.[0];
    const neighbours = [id - 1, id, id + 1].filter((j) => src.chunked.sentences[j]?.paragraph === r.sentence.paragraph);
    const namesHeld = earlierNames.filter((k) => neighbours.some((j) => relatedIn(at.sentenceLemmas[j]!, qTerms[k]!, k))).length;
    return [
      cited.has(id) ? 1 : 0,
      adjacent.has(id) ? 1 : 0,
      citedParagraphs.has(r.sentence.paragraph) ? 1 : 0,
      earlierVector && chunk !== undefined ? dot(earlierVector, src.vector(chunk)) : 0,
      chunk !== undefined ? dot(vector, src.vector(chunk)) : 0,
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

/** Sets 1 / (1 + rank) by `key`, best first. */
function rankInto<T>(items: T[], key: (t: T) => number, set: (t: T, v: number) => void): void {
  [...items].sort((a, b) => key(b) - key(a)).forEach((t, rank) => set(t, 1 / (1 + rank)));
}
