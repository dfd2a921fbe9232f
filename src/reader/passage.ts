/**
 * The text the reader reads for a candidate sentence: the sentence, then the sentence before it in its
 * paragraph as context ("he said" needs its "he"). Both are cut to a number of words so a pair stays
 * short. The training pairs are built the same way (`training/footnote_training/data.py`, `passage`).
 */

/** Words kept of the candidate sentence and of its context. */
export const SENTENCE_WORDS = 60;
export const CONTEXT_WORDS = 30;
/** What separates the sentence from its context. */
export const CONTEXT_MARK = ' || ';

const cut = (text: string, words: number) => text.split(/\s+/).filter(Boolean).slice(0, words).join(' ');

export function passageText(sentence: string, previous?: string): string {
  const own = cut(sentence, SENTENCE_WORDS);
  return previous ? own + CONTEXT_MARK + cut(previous, CONTEXT_WORDS) : own;
}
