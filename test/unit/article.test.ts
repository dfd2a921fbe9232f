import { describe, expect, it } from 'vitest';
import { paragraphLabel, parseArticle } from '../../src/article/article.js';
import { realArticle } from '../helpers/fixtures.js';

describe('parseArticle on the real article', () => {
  const article = realArticle();

  it('numbers 31 citable paragraphs in order and skips the text-less chart', () => {
    expect(article.paragraphs).toHaveLength(31);
    expect(article.paragraphs.map((p) => p.n)).toEqual(Array.from({ length: 31 }, (_, i) => i + 1));
    expect(article.charts).toBe(1);
    expect(article.paragraphs.some((p) => p.text.includes('dynamic-chart'))).toBe(false);
  });

  it('labels photo captions and keeps their credit as an exact, citable slice of the article', () => {
    const captions = article.paragraphs.filter((p) => p.kind === 'caption');
    expect(captions.map((p) => p.n)).toEqual([6, 25]);
    expect(captions[0]!.credit?.text).toBe('Svet Jacqueline for WSJ');
    expect(captions[1]!.credit?.text).toBe('Francisco Richart/Zuma Press');
    for (const c of captions) expect(article.text.slice(c.credit!.start, c.credit!.end)).toBe(c.credit!.text);
    expect(captions[1]!.text).toBe('A fire caused by a Russian drone explosion at a market in the Ukrainian city of Sumy.');
  });

  it('recognises the byline as the last paragraph', () => {
    const last = article.paragraphs.at(-1)!;
    expect(last.kind).toBe('byline');
    expect(last.text.startsWith('Write to Lara Seligman')).toBe(true);
    expect(paragraphLabel(last)).toBe('¶31 (byline)');
  });

  it('keeps the dateline in the first paragraph', () => {
    expect(article.dateline).toBe('ANCHORAGE, Alaska');
    expect(article.paragraphs[0]!.text.startsWith('ANCHORAGE, Alaska—President Trump')).toBe(true);
  });

  it('gives offsets that slice exactly the paragraph text out of the article', () => {
    for (const p of article.paragraphs) expect(article.text.slice(p.start, p.end)).toBe(p.text);
  });

  it('is stable: parsing twice gives the same numbering and hash', () => {
    const again = parseArticle(article.text);
    expect(again.paragraphs).toEqual(article.paragraphs);
    expect(again.sha256).toBe(article.sha256);
  });
});

describe('parseArticle on hand-made input', () => {
  it('handles blank lines, indentation and a caption between paragraphs', () => {
    const text = 'First para.\n\n  credits: A B, caption: A dog.\nSecond para.\ncredits: dynamic-chart\nWrite to X at x@y.z\n';
    const a = parseArticle(text);
    expect(a.paragraphs.map((p) => [p.n, p.kind, p.text])).toEqual([
      [1, 'body', 'First para.'],
      [2, 'caption', 'A dog.'],
      [3, 'body', 'Second para.'],
      [4, 'byline', 'Write to X at x@y.z'],
    ]);
    for (const p of a.paragraphs) expect(text.slice(p.start, p.end)).toBe(p.text);
  });
});
