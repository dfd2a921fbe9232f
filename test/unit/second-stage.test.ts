import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RANKER_FEATURES } from '../../src/candidates/features.js';
import { focusNoun, foundScore, SECOND_STAGE_FEATURES, secondStageRows } from '../../src/decision/second-stage.js';
import { openRetriever } from '../../src/footnote.js';
import { analyse } from '../../src/language/nlp.js';
import { WordNet } from '../../src/language/wordnet.js';
import { cutBands, type StageScore } from '../../src/quality/second-stage-fit.js';
import type { Example } from '../../src/quality/benchmark.js';
import { fakeEmbedder, tempDir } from '../helpers/fixtures.js';

const ARTICLE = [
  'The president arrived in a black limousine after the meeting.',
  'The two leaders met at a military base near the city.',
  'Reporters waited outside the hall for hours.',
  'The treaty was not signed in Vienna.',
  'Kyiv hopes to join the North Atlantic Treaty Organization one day.',
].join('\n');

describe('the second stage sees the first stage’s best candidates together', async () => {
  const dir = tempDir();
  const articlePath = join(dir, 'article.txt');
  writeFileSync(articlePath, ARTICLE);
  const { retriever } = await openRetriever({ articlePath, indexDir: join(dir, 'index'), embedder: fakeEmbedder() });
  const col = (name: string) => SECOND_STAGE_FEATURES.indexOf(name as (typeof SECOND_STAGE_FEATURES)[number]);
  /** Rows in the pre-score order, with the first stage's scores taken from dense similarity. */
  const rowsFor = async (question: string) => {
    const r = await retriever.retrieve(question);
    const logits = r.candidates.map((c) => c.features[RANKER_FEATURES.indexOf('align_related')]!);
    const order = logits.map((_, i) => i).sort((a, b) => logits[b]! - logits[a]! || a - b);
    return { r, ...secondStageRows(r, logits, order, 0.5, r.knowledge, 3) };
  };

  it('reads the noun a "what/which" question asks the kind of', () => {
    expect(focusNoun(analyse('what car did putin ride in'))).toBe('car');
    expect(focusNoun(analyse('Which kind of vehicle was it?'))).toBe('vehicle');
    expect(focusNoun(analyse('who arrived first'))).toBeUndefined();
    expect(focusNoun(analyse('what did he say'))).toBeUndefined();
  });

  it('knows from WordNet, stored with the index, that a limousine is a car', async () => {
    expect(WordNet.load().hypernyms('limousine')).toContain('car');
    expect(retriever.hypernymsOf('limousine')).toContain('car');
    const { r, ids, rows } = await rowsFor('what car did the president ride in');
    const limo = ids.findIndex((i) => r.candidates[i]!.sentence.text.includes('limousine'));
    expect(limo).toBeGreaterThanOrEqual(0);
    expect(rows[limo]![col('focus_kind')]).toBe(1);
    expect(rows[limo]![col('focus_asked')]).toBe(1);
    for (const [j, row] of rows.entries()) if (j !== limo) expect(row[col('focus_kind')]).toBe(0);
  });

  it('gives k rows of named, finite features, and compares each candidate with the others', async () => {
    const { ids, rows } = await rowsFor('where did the two leaders meet');
    expect(ids).toHaveLength(3);
    for (const row of rows) {
      expect(row).toHaveLength(SECOND_STAGE_FEATURES.length);
      expect(row.every(Number.isFinite)).toBe(true);
    }
    // Exactly one candidate is first by alignment; the first stage's best has the positive margin.
    expect(rows.filter((row) => row[col('align_first')] === 1)).toHaveLength(1);
    expect(rows[0]![col('s1_margin')]).toBeGreaterThanOrEqual(0);
    expect(rows[1]![col('s1_margin')]).toBeLessThanOrEqual(0);
    expect(rows[0]![col('s1_rank')]).toBe(1);
    expect(rows[0]![col('wh_where')]).toBe(1);
  });

  it('marks a name the paragraph lacks but the article uses elsewhere as swapped', async () => {
    const { r, ids, rows } = await rowsFor('Was the treaty signed in the limousine in Vienna?');
    const treaty = ids.findIndex((i) => r.candidates[i]!.sentence.text.startsWith('The treaty'));
    const limo = ids.findIndex((i) => r.candidates[i]!.sentence.text.includes('limousine'));
    expect(rows[limo]![col('swapped_name')]).toBe(1);
    expect(rows[treaty]![col('swapped_name')]).toBe(0);
  });

  it('matches an acronym the article only spells out with the name’s words', async () => {
    const r = await retriever.retrieve('does kyiv want to join nato');
    const nato = r.terms!.find((t) => t.lemma === 'nato')!;
    expect([...nato.related]).toEqual(expect.arrayContaining(['north', 'atlantic', 'treaty', 'organization']));
    const c = r.candidates.find((x) => x.sentence.text.includes('North Atlantic'))!;
    const other = r.candidates.find((x) => x.sentence.text.startsWith('Reporters'))!;
    const align = RANKER_FEATURES.indexOf('align_related');
    expect(c.features[align]).toBeGreaterThan(other.features[align]!);
    // The same question with an acronym the article does not spell out aligns less with that sentence.
    const unknown = await retriever.retrieve('does kyiv want to join otan');
    const same = unknown.candidates.find((x) => x.sentence.text.includes('North Atlantic'))!;
    expect(c.features[align]).toBeGreaterThan(same.features[align]!);
  });

  it('scores "one of the passages shown answers" from the passages’ own probabilities', () => {
    expect(foundScore([0.9, 0.1, 0.1])).toBeGreaterThan(foundScore([0.5, 0.1, 0.1]));
    expect(foundScore([0.01, 0.01, 0.01])).toBeLessThan(0);
    // Only the first three count.
    expect(foundScore([0.1, 0.1, 0.1, 0.99])).toBeCloseTo(foundScore([0.1, 0.1, 0.1]));
  });
});

describe('cutting the bands on out-of-fold scores', () => {
  /** A made-up scored question: its best score, whether its first passage is right, and whether it is answerable. */
  const scored = (z: number, right: boolean, answerable = right, article = 'summit'): StageScore => {
    const example = { item: { q: 'q', answerable }, weight: 1 } as unknown as Example;
    return { s: { group: article, article, example, ids: [0, 1], rows: [[], []], labels: [right, false], plausible: [false, false] }, order: [0, 1], scores: [z, z - 2] };
  };

  it('puts the answer edge where the first passages above it are right at least 95% of the time, above the likely edge', () => {
    const questions: StageScore[] = [];
    // High scores: right; middle: mostly right; low: unanswerable.
    for (let i = 0; i < 40; i++) questions.push(scored(4 + i / 10, true));
    for (let i = 0; i < 30; i++) questions.push(scored(1 + i / 30, i % 3 !== 0, true));
    for (let i = 0; i < 30; i++) questions.push(scored(-3 + i / 30, false, false));
    const bands = cutBands(questions, 'summit');
    expect(bands.answer).toBeGreaterThan(bands.threshold);
    const p = (z: number) => 1 / (1 + Math.exp(-(bands.calibration.a * z + bands.calibration.b)));
    const inAnswerBand = questions.filter((x) => p(x.scores[0]!) >= bands.answer);
    const right = inAnswerBand.filter((x) => x.s.labels[0]).length;
    expect(inAnswerBand.length).toBeGreaterThanOrEqual(40);
    expect(right / inAnswerBand.length).toBeGreaterThanOrEqual(0.95);
    // The unanswerable ones are refused, and most of them may say "the article doesn't say".
    expect(questions.filter((x) => !x.s.example.item.answerable).every((x) => p(x.scores[0]!) < bands.threshold)).toBe(true);
    expect(bands.silent).toBeGreaterThan(0);
  });
});
