import { describe, expect, it } from 'vitest';
import { parseArticle } from '../../src/article/article.js';
import { chunkArticle, UNIT_CONTEXT, unitText } from '../../src/article/chunker.js';
import { splitSentences } from '../../src/article/sentences.js';
import { realArticle } from '../helpers/fixtures.js';

const texts = (s: string) => splitSentences(s).map((x) => x.text);

describe('splitSentences', () => {
  it('does not split after abbreviations such as U.S., Sen., Gov. and Jr.', () => {
    expect(texts('The U.S. president met Sen. Lisa Murkowski and Gov. Mike Dunleavy Jr. in Alaska. Then he left.')).toEqual([
      'The U.S. president met Sen. Lisa Murkowski and Gov. Mike Dunleavy Jr. in Alaska.',
      'Then he left.',
    ]);
  });

  it('does not split after initials', () => {
    expect(texts('George W. Bush spoke. Then J. R. Smith did.')).toEqual(['George W. Bush spoke.', 'Then J. R. Smith did.']);
  });

  it('keeps a quote ending in a comma with its attribution, and splits after a closing quote that ends a sentence', () => {
    expect(texts('“There’s no deal until there’s a deal,” Trump told reporters. He added, “We haven’t quite got there.” Putin left.')).toEqual([
      '“There’s no deal until there’s a deal,” Trump told reporters.',
      'He added, “We haven’t quite got there.”',
      'Putin left.',
    ]);
  });

  it('keeps em-dashes and fractions inside one sentence', () => {
    expect(texts('ANCHORAGE, Alaska—Putin remains unwilling to end the 3½-year war. Talks go on.')).toEqual([
      'ANCHORAGE, Alaska—Putin remains unwilling to end the 3½-year war.',
      'Talks go on.',
    ]);
  });

  it('splits on question and exclamation marks', () => {
    expect(texts('Is it over? No! It goes on.')).toEqual(['Is it over?', 'No!', 'It goes on.']);
  });

  it('splits a U.S. that really ends a sentence', () => {
    expect(texts('Russia sold Alaska to the U.S. The deal was done.')).toEqual(['Russia sold Alaska to the U.S.', 'The deal was done.']);
  });

  it('returns offsets that slice the input exactly', () => {
    const input = '  One. Two “three.” Four?  ';
    for (const s of splitSentences(input)) expect(input.slice(s.start, s.end)).toBe(s.text);
  });
});

describe('sentences of the real article', () => {
  const article = realArticle();
  const { sentences, chunks } = chunkArticle(article);

  it('finds the tricky sentences whole', () => {
    const all = sentences.map((s) => s.text);
    expect(all).toContain('Following the summit, Alaska Sen. Lisa Murkowski , a Republican, said she was “cautiously optimistic” that some progress was made, despite few public details.');
    expect(all).toContain('“Now, it’s really up to President Zelensky to get it done,” Trump told Hannity, saying the U.S. and Russia agreed on several points, but still need to find consensus on “one or two pretty significant items.”');
    expect(all).toContain('Trump, in the interview, offered advice to Zelensky: “Make a deal.”');
    expect(all.filter((s) => s.includes('3½-year war'))).toHaveLength(1);
  });

  it('every sentence and chunk is an exact slice of the article inside its paragraph (a caption with its credit)', () => {
    for (const s of sentences) {
      const p = article.paragraphs[s.paragraph - 1]!;
      expect(article.text.slice(s.start, s.end)).toBe(s.text);
      expect(s.start).toBeGreaterThanOrEqual(p.credit?.start ?? p.start);
      expect(s.end).toBeLessThanOrEqual(p.end);
    }
    for (const c of chunks) {
      expect(article.text.slice(c.start, c.end)).toBe(c.text);
      expect(new Set(c.sentences.map((id) => sentences[id]!.paragraph))).toEqual(new Set([c.paragraph]));
    }
  });

  it('makes one chunk per sentence plus one per neighbouring pair in a paragraph', () => {
    const pairs = article.paragraphs.reduce((n, p) => n + Math.max(0, sentences.filter((s) => s.paragraph === p.n).length - 1), 0);
    expect(chunks).toHaveLength(sentences.length + pairs);
  });
  it('makes a photo credit a citable unit of its caption paragraph, before the caption', () => {
    const credits = sentences.filter((s) => s.unit === 'credit');
    expect(credits.map((s) => [s.paragraph, s.index, s.text])).toEqual([
      [6, 0, 'Svet Jacqueline for WSJ'],
      [25, 0, 'Francisco Richart/Zuma Press'],
    ]);
    expect(sentences.find((s) => s.paragraph === 6 && s.index === 1)).toMatchObject({ unit: 'caption', text: 'Ukrainian soldiers walk by the site of a Russian strike in Kyiv, Ukraine.' });
    expect(unitText(credits[0]!)).toBe(`${UNIT_CONTEXT.credit} Svet Jacqueline for WSJ`);
  });

  it('marks the dateline sentence and the byline', () => {
    expect(sentences[0]).toMatchObject({ unit: 'dateline', paragraph: 1 });
    expect(sentences[0]!.text.startsWith('ANCHORAGE, Alaska—')).toBe(true);
    expect(sentences.at(-1)!.unit).toBe('byline');
    expect(sentences.filter((s) => s.unit === 'dateline')).toHaveLength(1);
  });

  it('keeps a quotation of several sentences as one unit', () => {
    const quote = sentences.find((s) => s.text.startsWith('“Flattery'))!;
    expect(quote.text).toBe('“Flattery doesn’t work to change Putin’s mind. He sees it as weakness,” said Mick Mulroy , a former Pentagon official during Trump’s first term.');
    const p = chunkArticle(parseArticle('He said: “One. Two. Three.” Then he left. Done.')).sentences.map((s) => s.text);
    expect(p).toEqual(['He said: “One. Two. Three.”', 'Then he left.', 'Done.']);
  });

  it('keeps a long run of terminators in one span (the run is looked at once)', () => {
    const text = '!'.repeat(40_000) + 'x';
    expect(splitSentences(text)).toEqual([{ text, start: 0, end: text.length }]);
    const many = 'Hi! '.repeat(1000).trim();
    expect(splitSentences(many)).toHaveLength(1000);
  });
});
