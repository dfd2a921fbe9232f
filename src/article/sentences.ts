/**
 * Sentence splitting for news prose, with character offsets.
 *
 * Handles abbreviations (U.S., Sen., Gov., Jr.), initials, quotes that close a sentence (`…,” he said.`
 * stays one sentence; `… a deal.” Next` splits after the quote), em-dashes and fractions such as `3½-year`.
 */

export interface Span {
  text: string;
  /** Offsets relative to the string that was split. */
  start: number;
  end: number;
}

/** Abbreviations that end with a period but rarely end a sentence. Lower-cased, without the final dot. */
const ABBREVIATIONS = new Set([
  'mr', 'mrs', 'ms', 'dr', 'prof', 'sen', 'rep', 'gov', 'gen', 'lt', 'col', 'sgt', 'capt', 'cmdr', 'adm',
  'maj', 'pres', 'sec', 'amb', 'jr', 'sr', 'st', 'mt', 'ft', 'no', 'vs', 'etc', 'inc', 'corp', 'co', 'ltd',
  'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec', 'u.s', 'u.k', 'u.n',
  'e.u', 'd.c', 'a.m', 'p.m', 'e.g', 'i.e',
]);

/** Words that, after an abbreviation like "U.S.", show a new sentence has begun. */
const SENTENCE_STARTERS = new Set([
  'The', 'A', 'An', 'He', 'She', 'It', 'They', 'We', 'I', 'But', 'And', 'In', 'On', 'At', 'This', 'That',
  'These', 'Those', 'His', 'Her', 'Their', 'Its', 'There', 'After', 'Before', 'While', 'When', 'As',
]);

const CLOSERS = '"”’\')]';
const OPENERS = '"“‘\'([';

function isUpper(ch: string | undefined): boolean {
  return ch !== undefined && ch !== ch.toLowerCase() && ch === ch.toUpperCase();
}

/** Splits `text` into sentences; every returned `text` equals `text.slice(start, end)`. */
export function splitSentences(text: string): Span[] {
  const spans: Span[] = [];
  let sentenceStart = skipSpace(text, 0);
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch !== '.' && ch !== '?' && ch !== '!') continue;
    // Extend over repeated terminators and closing quotes/brackets.
    let end = i + 1;
    while (end < text.length && (text[end] === '.' || text[end] === '?' || text[end] === '!')) end++;
    while (end < text.length && CLOSERS.includes(text[end]!)) end++;
    // Every terminator of this run reaches the same `end`: look at the run once (linear time on "!!!!…").
    const runEnd = end;
    if (end < text.length && !/\s/.test(text[end]!)) {
      i = runEnd - 1;
      continue;
    }
    const next = skipSpace(text, end);
    if (next >= text.length) break;
    const nextCh = text[next];
    const startsSentence = isUpper(nextCh) || /\d/.test(nextCh!) || OPENERS.includes(nextCh!);
    if (!startsSentence) {
      i = runEnd - 1;
      continue;
    }
    if (ch === '.' && end === i + 1 && !isSentenceEndingPeriod(text, i, next)) continue;
    pushSpan(spans, text, sentenceStart, end);
    sentenceStart = next;
    i = next - 1;
  }
  if (sentenceStart < text.length) pushSpan(spans, text, sentenceStart, text.length);
  return spans;
}

function isSentenceEndingPeriod(text: string, dot: number, next: number): boolean {
  let wordStart = dot;
  while (wordStart > 0 && /[A-Za-z.]/.test(text[wordStart - 1]!)) wordStart--;
  const word = text.slice(wordStart, dot);
  if (word.length === 1 && isUpper(word)) return false; // an initial: "J. Smith"
  const lower = word.toLowerCase();
  if (ABBREVIATIONS.has(lower) || /^(?:[a-z]\.)+[a-z]$/.test(lower)) {
    const nextWord = /^[A-Za-z]+/.exec(text.slice(next))?.[0] ?? '';
    return SENTENCE_STARTERS.has(nextWord);
  }
  return true;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && /\s/.test(text[i]!)) i++;
  return i;
}

function pushSpan(spans: Span[], text: string, start: number, end: number): void {
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  if (end > start) spans.push({ text: text.slice(start, end), start, end });
}

/** Opening minus closing curly double quotes: positive while a quotation is open. */
export function quoteBalance(text: string): number {
  return (text.match(/“/g)?.length ?? 0) - (text.match(/”/g)?.length ?? 0);
}
