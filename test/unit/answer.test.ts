import { describe, expect, it } from 'vitest';
import { NOT_IN_ARTICLE, type AskResult } from '../../src/answer/answer.js';
import { Footnote } from '../../src/footnote.js';
import { EMPTY_QUESTION_MESSAGE } from '../../src/question/input.js';
import { ARTICLE_PATH, fakeEmbedder, realArticle, tempDir } from '../helpers/fixtures.js';

describe('Footnote with a fake embedder', async () => {
  const footnote = await Footnote.open({ articlePath: ARTICLE_PATH, indexDir: tempDir(), embedder: fakeEmbedder() });
  const article = realArticle();

  const expectExactCitations = (r: AskResult) => {
    for (const c of [...r.citations, ...r.closest]) expect(article.text.slice(c.start, c.end)).toBe(c.quote);
  };

  it('answers with 1–3 distinct article sentences, each cited with its paragraph', async () => {
    const r = await footnote.ask('Who is Maria Zakharova?');
    expect(r.answered).toBe(true);
    expect(r.citations.length).toBeGreaterThanOrEqual(1);
    expect(r.citations.length).toBeLessThanOrEqual(3);
    expect(r.citations[0]!.paragraph).toBe(27);
    expect(new Set(r.citations.map((c) => c.quote)).size).toBe(r.citations.length);
    expect(r.answer).toBe(r.citations.map((c) => c.quote).join(' '));
    expectExactCitations(r);
  });

  it('cites a quotation split over two sentences as one exact slice', async () => {
    const r = await footnote.ask('What did Mick Mulroy say about flattery and weakness?');
    expect(r.answered).toBe(true);
    const c = r.citations.find((x) => x.paragraph === 20)!;
    expect(c.quote.startsWith('“Flattery doesn’t work')).toBe(true);
    expect(c.quote).toContain('said Mick Mulroy');
    expectExactCitations(r);
  });

  it('gives a question of shorthand and filler alone the message for a question with nothing to ask', async () => {
    for (const q of ['lol??', 'pls thx lol']) {
      const r = await footnote.ask(q);
      expect(r.error?.code, q).toBe('empty');
      expect(r.answer).toBe(EMPTY_QUESTION_MESSAGE);
    }
  });

  it('answers a gist question with the short summary, every sentence an exact slice, and a specific one with its passage', async () => {
    const gist = await footnote.ask('tldr?');
    expect(gist).toMatchObject({ answered: true, band: 'answer', gist: true });
    const summary = await footnote.summarize({ length: 'short' });
    expect(gist.citations).toEqual(summary.citations);
    expectExactCitations(gist);
    expect((await footnote.ask('what happened in february?')).gist).toBeUndefined();
  });

  it('refuses an off-topic question and offers closest passages that are not an answer', async () => {
    const r = await footnote.ask('What did Emmanuel Macron say about the summit?');
    expect(r.answered).toBe(false);
    expect(r.answer).toBe(NOT_IN_ARTICLE);
    expect(r.citations).toEqual([]);
    expect(r.closest.length).toBeGreaterThan(0);
    expect(r.closest.length).toBeLessThanOrEqual(3);
    expectExactCitations(r);
  });

  it('returns a user message, not an exception, for bad input', async () => {
    for (const bad of ['', '   ', 'x'.repeat(3000), '\u200B', undefined, 17]) {
      const r = await footnote.ask(bad);
      expect(r.answered).toBe(false);
      expect(r.error?.code).toMatch(/empty|too_long|not_text/);
      expect(r.answer.length).toBeLessThan(200);
    }
  });

  it('looks up a paragraph with its label, and explains a bad number', () => {
    const p = footnote.passage(25);
    expect(p.ok && p.label).toBe('¶25 (photo caption)');
    const bad = footnote.passage(99);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.message).toContain('1 to 31');
    expect(footnote.passage('abc').ok).toBe(false);
    expect(footnote.passage(2.5).ok).toBe(false);
  });

  it('summarises in article order, every sentence cited, no duplicates', async () => {
    for (const length of ['short', 'medium', 'long'] as const) {
      const s = await footnote.summarize({ length });
      expect(s.answered).toBe(true);
      expect(s.citations).toHaveLength({ short: 3, medium: 5, long: 8 }[length]);
      const starts = s.citations.map((c) => c.start);
      expect(starts).toEqual([...starts].sort((a, b) => a - b));
      expect(new Set(starts).size).toBe(starts.length);
      for (const c of s.citations) expect(article.text.slice(c.start, c.end)).toBe(c.quote);
    }
  });

  it('narrows a summary to a focus, and says so when the focus is not in the article', async () => {
    const s = await footnote.summarize({ length: 'short', focus: 'sanctions' });
    expect(s.answered).toBe(true);
    expect(s.citations.every((c) => /sanction/i.test(c.quote))).toBe(true);
    const none = await footnote.summarize({ focus: 'sourdough bread' });
    expect(none.answered).toBe(false);
    expect(none.citations).toEqual([]);
  });
});
