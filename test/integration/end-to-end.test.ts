import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseEvalSet, scoreEval } from '../../src/quality/evaluate.js';
import { Footnote } from '../../src/footnote.js';
import type { AskResult } from '../../src/answer/answer.js';
import { ARTICLE_PATH, DEV_SET_PATH, realArticle, tempDir, committedEmbedder } from '../helpers/fixtures.js';

describe('the committed models end to end on the development set', async () => {
  const embedder = await committedEmbedder();
  const footnote = await Footnote.open({ articlePath: ARTICLE_PATH, indexDir: tempDir(), embedder });
  const items = parseEvalSet(readFileSync(DEV_SET_PATH, 'utf8'));
  const results: AskResult[] = [];
  for (const item of items) results.push(await footnote.ask(item.q));
  const report = scoreEval(items, results);
  const article = realArticle();
  /** Asks every question of another set in data/eval/ and scores it. */
  const scoreSet = async (name: string) => {
    const set = parseEvalSet(readFileSync(DEV_SET_PATH.replace('dev-qa', name), 'utf8'));
    const answers: AskResult[] = [];
    for (const item of set) answers.push(await footnote.ask(item.q));
    return scoreEval(set, answers);
  };

  it('matches a word the article only abbreviates ("senator" for "Sen.")', async () => {
    const r = await footnote.ask('which senator spoke after the summit');
    // The match shows in the ranking: Murkowski's sentence is the first passage shown, whatever the band.
    const first = r.answered ? r.citations[0] : r.closest[0];
    expect(first?.quote).toMatch(/Alaska Sen\. Lisa Murkowski/);
  });

  it('records the model that built the index', () => {
    expect(footnote.info()).toMatchObject({ model: expect.stringMatching(/^minilm-embedder@/), dimensions: 384, paragraphs: 31 });
  });

  // Regression floors for the learned model (README "Answer quality"): the summit questions are part of its
  // training data, so these sit a margin under what the committed weights score; the generalisation
  // figures are the cross-validated ones and the held-out natural half's. The threshold is set for right
  // answers (calibrated, on the own questions), so it refuses more answerable questions than the old
  // 2.5%-false-refusal threshold did, and many more unanswerable ones.
  it('puts the evidence in the first citation for most answerable questions', () => {
    expect(report.firstCitationRate, JSON.stringify(report.misses)).toBeGreaterThanOrEqual(0.6);
  });

  it('puts the evidence in some citation for most answerable questions', () => {
    expect(report.anyCitationRate, JSON.stringify(report.misses)).toBeGreaterThanOrEqual(0.6);
  });

  it('refuses the clearly off-topic questions and few answerable ones', () => {
    expect(report.refusalRate, JSON.stringify(report.misses)).toBeGreaterThanOrEqual(0.6);
    expect(report.falseRefusals).toBeLessThanOrEqual(6);
    for (const q of ['Who is the president of Brazil?', 'How do I bake sourdough bread?']) {
      expect(report.misses.map((m) => m.q), q).not.toContain(q);
    }
  });

  it('holds up on the team’s own questions, written apart from the development set', async () => {
    const r = await scoreSet('team-qa');
    expect(r.firstCitationRate, JSON.stringify(r.misses)).toBeGreaterThanOrEqual(0.8);
    expect(r.refusalRate, JSON.stringify(r.misses)).toBeGreaterThanOrEqual(0.6);
    expect(r.falseRefusals).toBeLessThanOrEqual(5);
  });

  it('quotes only exact article text', () => {
    for (const r of results) for (const c of [...r.citations, ...r.closest]) expect(article.text.slice(c.start, c.end)).toBe(c.quote);
  });

  it('cleans mentions and markdown out of a question and still answers it', async () => {
    const r = await footnote.ask('<@123456789012345678> **Who is Maria Zakharova?** @everyone');
    expect(r.answered).toBe(true);
    expect(r.question).toBe('Who is Maria Zakharova?');
    expect(r.citations[0]!.paragraph).toBe(27);
  });

  it('marks the words that answer a date question inside the exact quote', async () => {
    const r = await footnote.ask('When did Russia sell Alaska to the U.S.?');
    expect(r.answered).toBe(true);
    const c = r.citations[0]!;
    expect(c.quote).toContain('1867');
    expect(c.answerSpan).toBeDefined();
    expect(article.text.slice(c.answerSpan!.start, c.answerSpan!.end)).toBe('1867');
  });

  it('answers a question about the article itself from its photo credit and its byline, as exact slices', async () => {
    const photo = await footnote.ask('who shot the photo of the soldiers in kyiv?');
    expect(photo.citations[0]).toMatchObject({ paragraph: 6, kind: 'credit', quote: 'Svet Jacqueline for WSJ' });
    expect(article.text.slice(photo.citations[0]!.start, photo.citations[0]!.end)).toBe('Svet Jacqueline for WSJ');
    const byline = await footnote.ask('who wrote this article');
    expect(byline.citations[0]).toMatchObject({ paragraph: 31, kind: 'byline' });
  });

  it('cites a quotation of two sentences as one unit', async () => {
    const r = await footnote.ask('what does mulroy think putin makes of flattery?');
    expect(r.citations[0]!.quote).toMatch(/^“Flattery doesn’t work to change Putin’s mind\. He sees it as weakness,” said Mick Mulroy/);
  });

  it('refuses plausible questions about the article’s people that it does not answer', async () => {
    for (const q of ['what did lavrov tell reporters afterwards?', 'how old is putin?']) expect((await footnote.ask(q)).answered, q).toBe(false);
  });

  it('holds up on the held-out half of the natural questions, which nothing was fitted on', async () => {
    const r = await scoreSet('natural-held');
    // Floors a margin under the committed weights' figures (README "Answer quality").
    expect(r.firstCitationRate, JSON.stringify(r.misses)).toBeGreaterThanOrEqual(0.5);
    expect(r.shownRightRate, JSON.stringify(r.misses)).toBeGreaterThanOrEqual(0.55);
    expect(r.refusalRate, JSON.stringify(r.misses)).toBeGreaterThanOrEqual(0.35);
  });

  it('summarises sanctions from the sanctions passages', async () => {
    const s = await footnote.summarize({ length: 'short', focus: 'sanctions' });
    expect(s.answered).toBe(true);
    expect(s.citations.filter((c) => /sanction/i.test(c.quote)).length).toBeGreaterThanOrEqual(2);
  });
});
