/**
 * Gist questions: "what is this article about?", "tldr?", "what happened?", "give me the main takeaway".
 * Recognised from features of the question, not from a list of phrasings: it asks about the text itself
 * (one of `ABOUT_THE_TEXT`, or "about" with no word of its own), and it names nothing beyond the article's
 * subject (its most frequent content words). "What happened in February?" names February: not a gist
 * question. A gist question gets the short summary's cited sentences (`answer.ts`).
 */
import { contentLemmas, type Analysis } from '../language/nlp.js';

/**
 * Words about a text itself or its whole, as lemmas: a dictionary of the language, like the shorthand
 * table, not a list of questions.
 */
export const ABOUT_THE_TEXT: ReadonlySet<string> = new Set([
  'article', 'story', 'piece', 'report', 'news', 'text', 'summary', 'summarize', 'summarise', 'sum', 'recap',
  'overview', 'gist', 'tldr', 'takeaway', 'point', 'main', 'happen', 'topic', 'subject', 'headline', 'key', 'basically',
]);

/** How many of the article's most frequent content lemmas make its subject. */
export const SUBJECT_WORDS = 4;

/** The article's subject: its `SUBJECT_WORDS` most frequent content lemmas. */
export function subjectOf(analyses: readonly Analysis[]): Set<string> {
  const counts = new Map<string, number>();
  for (const a of analyses) for (const l of contentLemmas(a)) counts.set(l, (counts.get(l) ?? 0) + 1);
  return new Set([...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, SUBJECT_WORDS).map(([l]) => l));
}

export function isGistQuestion(q: Analysis, subject: ReadonlySet<string>): boolean {
  const content = contentLemmas(q);
  if (content.some((l) => !ABOUT_THE_TEXT.has(l) && !subject.has(l))) return false;
  return content.some((l) => ABOUT_THE_TEXT.has(l)) || (content.length === 0 && q.tokens.includes('about'));
}
