/**
 * Paragraphs → sentences → retrieval chunks.
 *
 * A sentence is the unit of citation. A chunk is what gets embedded and indexed: every sentence on its
 * own, plus windows of two neighbouring sentences inside one paragraph (so a sentence that says "He said…"
 * is still found through its neighbour's context). Chunks never cross paragraphs.
 */
import type { Article, Paragraph, UnitKind } from './article.js';
import { quoteBalance, splitSentences, type Span } from './sentences.js';

/** Bump when chunk boundaries or ids change: an index built by another version is rebuilt. */
export const CHUNKER_VERSION = 'sent-win2-v3';

/**
 * Words that say what a unit is, put before its text when it is embedded and analysed (never in a quote):
 * a photo credit names who took the photo, the byline who wrote the article, the dateline where it was
 * filed. Without them a question about the article itself ("who took the photo?", "who wrote this?")
 * shares no word with the unit that answers.
 */
export const UNIT_CONTEXT: Partial<Record<UnitKind, string>> = {
  credit: 'Photo taken by:',
  caption: 'Photo caption:',
  byline: 'Article written by reporters:',
  dateline: 'Article filed from:',
};

export interface Sentence {
  id: number;
  paragraph: number;
  /** Position of this sentence inside its paragraph (0-based). */
  index: number;
  /** What the unit is (body text, caption, photo credit, byline, the dateline sentence). */
  unit: UnitKind;
  /** The citable text: `article.text.slice(start, end)`. A quotation is one unit, however many sentences it has. */
  text: string;
  /** Offsets into the article text. */
  start: number;
  end: number;
}

export interface Chunk {
  id: number;
  paragraph: number;
  /** Ids of the sentences the chunk covers, in order. */
  sentences: number[];
  text: string;
  start: number;
  end: number;
}

export interface Chunked {
  sentences: Sentence[];
  chunks: Chunk[];
}

/** What is embedded and analysed for a sentence: its text, after the words naming its kind of unit. */
export function unitText(s: Pick<Sentence, 'unit' | 'text'>): string {
  const context = UNIT_CONTEXT[s.unit];
  return context ? `${context} ${s.text}` : s.text;
}

/**
 * A paragraph's citable units in order: a caption's photo credit first, then its sentences, with the
 * sentences of one quotation joined (“Flattery doesn't work… He sees it as weakness,” said …).
 */
export function sentencesOf(paragraph: Paragraph, firstId: number, dateline?: string): Sentence[] {
  const spans: (Span & { unit: UnitKind })[] = [];
  if (paragraph.credit) {
    const { text, start, end } = paragraph.credit;
    spans.push({ text, start: start - paragraph.start, end: end - paragraph.start, unit: 'credit' });
  }
  let open = 0;
  for (const span of splitSentences(paragraph.text)) {
    const last = spans.at(-1);
    if (open > 0 && last && last.unit !== 'credit') {
      last.end = span.end;
      last.text = paragraph.text.slice(last.start, last.end);
    } else {
      spans.push({ ...span, unit: paragraph.kind });
    }
    open = Math.max(0, open + quoteBalance(span.text));
  }
  if (dateline && paragraph.n === 1 && spans[0]?.text.startsWith(dateline)) spans[0].unit = 'dateline';
  return spans.map((span, index) => ({
    id: firstId + index,
    paragraph: paragraph.n,
    index,
    unit: span.unit,
    text: span.text,
    start: paragraph.start + span.start,
    end: paragraph.start + span.end,
  }));
}

export function chunkArticle(article: Article): Chunked {
  const sentences: Sentence[] = [];
  const chunks: Chunk[] = [];
  for (const paragraph of article.paragraphs) {
    const own = sentencesOf(paragraph, sentences.length, article.dateline);
    sentences.push(...own);
    own.forEach((s, i) => {
      chunks.push({ id: chunks.length, paragraph: s.paragraph, sentences: [s.id], text: s.text, start: s.start, end: s.end });
      const next = own[i + 1];
      if (next) {
        chunks.push({
          id: chunks.length,
          paragraph: s.paragraph,
          sentences: [s.id, next.id],
          text: article.text.slice(s.start, next.end),
          start: s.start,
          end: next.end,
        });
      }
    });
  }
  return { sentences, chunks };
}
