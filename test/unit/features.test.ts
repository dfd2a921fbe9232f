import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ANSWERABLE_FEATURES, RANKER_FEATURES, type AnswerableFeature } from '../../src/candidates/features.js';
import { openRetriever } from '../../src/footnote.js';
import type { Retrieval } from '../../src/candidates/types.js';
import { answerableFeatures } from '../../src/decision/answerable-features.js';
import { fakeEmbedder, tempDir } from '../helpers/fixtures.js';

const ARTICLE = [
  'The treaty was signed in Vienna in 1815 by the great powers.',
  'Metternich hosted the congress. Delegates argued about borders for months.',
  'The harvest did not fail that year. Farmers sold grain at markets across the country.',
  'credits: Jane Roe for WSJ, caption: Soldiers rest near the cease-fire line.',
  'The congress was joined by Klemens Metternich, Charles Talleyrand and Robert Castlereagh.',
].join('\n');

describe('candidate features', async () => {
  const dir = tempDir();
  const articlePath = join(dir, 'article.txt');
  writeFileSync(articlePath, ARTICLE);
  const { retriever } = await openRetriever({ articlePath, indexDir: join(dir, 'index'), embedder: fakeEmbedder() });
  const feature = (r: Retrieval, text: string, name: string) => {
    const c = r.candidates.find((x) => x.sentence.text.startsWith(text));
    expect(c, text).toBeDefined();
    return c!.features[RANKER_FEATURES.indexOf(name)]!;
  };

  it('gives every candidate one value per named feature', async () => {
    const r = await retriever.retrieve('When was the treaty signed?');
    expect(r.candidates.length).toBe(8);
    for (const c of r.candidates) {
      expect(c.features).toHaveLength(RANKER_FEATURES.length);
      expect(c.features.every(Number.isFinite)).toBe(true);
    }
  });

  it('aligns question words by lemma and marks the kind of answer asked for', async () => {
    const r = await retriever.retrieve('When were treaties signed?');
    expect(r.wh).toBe('when');
    expect(r.kind).toBe('date');
    expect(feature(r, 'The treaty', 'align_lemma')).toBe(1);
    expect(feature(r, 'The treaty', 'align_exact')).toBeLessThan(1);
    expect(feature(r, 'The treaty', 'type_match')).toBe(1);
    expect(feature(r, 'The treaty', 'fresh_date_x_when')).toBe(1);
    expect(feature(r, 'The treaty', 'fresh_date_x_who')).toBe(0);
    expect(feature(r, 'Metternich', 'type_match')).toBe(0);
    expect(feature(r, 'Metternich', 'align_lemma')).toBe(0);
    expect(feature(r, 'Metternich', 'align_paragraph')).toBe(0);
  });

  it('weighs the most important question word a sentence lacks', async () => {
    const r = await retriever.retrieve('Who hosted the congress in Vienna?');
    expect(feature(r, 'Metternich', 'missing_max_idf')).toBeGreaterThan(0);
    expect(feature(r, 'Metternich', 'align_window')).toBeGreaterThan(feature(r, 'Delegates', 'align_lemma'));
    expect(feature(r, 'Metternich', 'name_align')).toBe(0);
    expect(feature(r, 'The treaty', 'name_align')).toBe(1);
  });

  it('knows a photo credit and a caption, crossed with the question word', async () => {
    const r = await retriever.retrieve('who took the photo of the soldiers?');
    expect(feature(r, 'Jane Roe for WSJ', 'unit_credit_x_who')).toBe(1);
    expect(feature(r, 'Jane Roe for WSJ', 'unit_credit_x_what')).toBe(0);
    expect(feature(r, 'Soldiers rest', 'unit_caption_x_who')).toBe(1);
    expect(feature(r, 'The treaty', 'unit_credit_x_who')).toBe(0);
    // The credit's neighbour, the caption, holds "soldiers".
    expect(feature(r, 'Jane Roe for WSJ', 'next_align')).toBeGreaterThan(0);
    expect(feature(r, 'Soldiers rest', 'prev_align')).toBeGreaterThan(0);
  });

  it('folds hyphens and aligns rewordings through word vectors, not numbers', async () => {
    const r = await retriever.retrieve('where is the ceasefire line?');
    expect(feature(r, 'Soldiers rest', 'align_lemma')).toBeGreaterThan(0.5);
    const truce = await retriever.retrieve('where is the truce line?');
    expect(feature(truce, 'Soldiers rest', 'soft_sentence')).toBeGreaterThan(feature(truce, 'Soldiers rest', 'align_lemma'));
    expect(feature(truce, 'Soldiers rest', 'soft_sentence')).toBeGreaterThan(feature(truce, 'The harvest', 'soft_sentence'));
  });

  it('reads a possessive typed without its apostrophe as the name ("metternichs congress")', async () => {
    const r = await retriever.retrieve('who hosted metternichs congress');
    expect(feature(r, 'Metternich', 'align_lemma')).toBe(1);
    expect(r.questionLevel.articleMissingShare).toBe(0);
  });

  it('marks a sentence that lists several people for a who-question (compromise names)', async () => {
    const r = await retriever.retrieve('who joined the congress?');
    expect(feature(r, 'The congress was joined', 'fresh_people_x_who')).toBe(1);
    expect(feature(r, 'The congress was joined', 'fresh_person_x_who')).toBe(1);
    expect(feature(r, 'The harvest', 'fresh_people_x_who')).toBe(0);
  });

  it('reads question-level signals: words the article never uses, negation, unknown names', async () => {
    const r = await retriever.retrieve('Why did the Brazilian harvest fail?');
    const order = r.candidates.map((_, i) => i);
    const best = r.candidates.findIndex((c) => c.sentence.text.startsWith('The harvest'));
    const f = answerableFeatures(r, r.candidates.map((_, i) => (i === best ? 5 : 0)), [best, ...order.filter((i) => i !== best)]);
    const v = (name: AnswerableFeature) => f[ANSWERABLE_FEATURES.indexOf(name)]!;
    expect(f).toHaveLength(ANSWERABLE_FEATURES.length);
    expect(v('wh_why')).toBe(1);
    expect(v('unknown_name')).toBe(1);
    expect(v('article_missing_share')).toBeGreaterThan(0);
    expect(v('negation_mismatch')).toBe(1); // the sentence says "did not fail", the question does not
    expect(v('top_prob')).toBeGreaterThan(0.5);
  });
});
