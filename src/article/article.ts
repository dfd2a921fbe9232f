/**
 * Article → numbered, citable paragraphs.
 *
 * Every paragraph keeps its character offsets into the raw article text, so a citation can always be
 * checked with `article.text.slice(start, end)`. Numbering (¶1…¶N) covers every citable unit in order:
 * body paragraphs, photo captions and the byline. Charts (`credits: dynamic-chart`) carry no text and
 * get no number.
 */
import { createHash } from 'node:crypto';

export type ParagraphKind = 'body' | 'caption' | 'byline';

/**
 * What a citable unit is: a paragraph's own kind, or, inside a paragraph, the photo credit of a caption
 * and the dateline sentence that opens the article ("ANCHORAGE, Alaska—…").
 */
export type UnitKind = ParagraphKind | 'credit' | 'dateline';

export interface Paragraph {
  /** 1-based paragraph number (¶n). */
  n: number;
  kind: ParagraphKind;
  /** The citable text (for a caption: the caption alone, without the credit). */
  text: string;
  /** Offsets of `text` in the article: `article.text.slice(start, end) === text`. */
  start: number;
  end: number;
  /** Photo credit, for captions: citable like any sentence, `article.text.slice(credit.start, credit.end) === credit.text`. */
  credit?: { text: string; start: number; end: number };
}

export interface Article {
  /** The raw text, exactly as received. */
  text: string;
  sha256: string;
  paragraphs: Paragraph[];
  /** Dateline such as "ANCHORAGE, Alaska", when the first paragraph has one. */
  dateline?: string;
  /** Number of text-less charts that were skipped. */
  charts: number;
}

const CAPTION = /^credits:\s*(.*?),\s*caption:\s*/;
const CHART = /^credits:\s*dynamic-chart\s*$/;
const BYLINE = /^Write to\s/;
const DATELINE = /^([A-Z][A-Z .'-]+,\s+[A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+)*)—/;

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function parseArticle(text: string): Article {
  const paragraphs: Paragraph[] = [];
  let charts = 0;
  let offset = 0;
  for (const rawLine of text.split('\n')) {
    const lineStart = offset;
    offset += rawLine.length + 1;
    const line = rawLine.replace(/\s+$/, '');
    const lead = line.length - line.trimStart().length;
    const body = line.trim();
    if (body === '') continue;
    if (CHART.test(body)) {
      charts++;
      continue;
    }
    const start = lineStart + lead;
    const caption = CAPTION.exec(body);
    if (caption) {
      const textStart = start + caption[0].length;
      const creditStart = start + body.indexOf(caption[1]!, 'credits:'.length);
      paragraphs.push({
        n: paragraphs.length + 1,
        kind: 'caption',
        text: text.slice(textStart, start + body.length),
        start: textStart,
        end: start + body.length,
        credit: { text: caption[1]!, start: creditStart, end: creditStart + caption[1]!.length },
      });
      continue;
    }
    paragraphs.push({
      n: paragraphs.length + 1,
      kind: BYLINE.test(body) ? 'byline' : 'body',
      text: body,
      start,
      end: start + body.length,
    });
  }
  const dateline = paragraphs[0] ? DATELINE.exec(paragraphs[0].text)?.[1] : undefined;
  return { text, sha256: sha256(text), paragraphs, dateline, charts };
}

export function paragraphLabel(p: { n: number; kind: UnitKind }): string {
  switch (p.kind) {
    case 'caption':
      return `¶${p.n} (photo caption)`;
    case 'credit':
      return `¶${p.n} (photo credit)`;
    case 'byline':
      return `¶${p.n} (byline)`;
    default:
      return `¶${p.n}`;
  }
}
