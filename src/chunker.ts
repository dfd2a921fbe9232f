/**
 * Paragraphs → sentences → retrieval chunks.
 *
 * A sentence is the unit of citation. A chunk is what gets embedded and indexed: every sentence on its
 * own, plus windows of two neighbouring sentences inside one paragraph (so a sentence that says "He said…"
 * is still found through its neighbour's context). Chunks never cross paragraphs.
 */
import type { Article, Paragraph } from './article.js';
import { splitSentences } from './sentences.js';

/** Bump when chunk boundaries or ids change: an index built by another version is rebuilt. */
export const CHUNKER_VERSION = 'sent-win2-v1';

export interface Sentence {
  id: number;
  paragraph: number;
  /** Position of this sentence inside its paragraph (0-based). */
  index: number;
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

export function sentencesOf(paragraph: Paragraph, firstId: number): Sentence[] {
  return splitSentences(paragraph.text).map((span, index) => ({
    id: firstId + index,
    paragraph: paragraph.n,
    index,
    text: span.text,
    start: paragraph.start + span.start,
    end: paragraph.start + span.end,
  }));
}

export function chunkArticle(article: Article): Chunked {
  const sentences: Sentence[] = [];
  const chunks: Chunk[] = [];
  for (const paragraph of article.paragraphs) {
    const own = sentencesOf(paragraph, sentences.length);
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
