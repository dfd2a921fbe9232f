import { describe, expect, it } from 'vitest';
import { CONTEXT_MARK, CONTEXT_WORDS, passageText, SENTENCE_WORDS } from '../../src/reader/passage.js';

describe('the passage the reader reads for a candidate sentence', () => {
  it('is the sentence, then the one before it as context, each cut to its words (as training/ builds them)', () => {
    const long = 'Second ' + 'word '.repeat(80);
    const text = passageText(long, 'First one here.');
    const [own, context] = text.split(CONTEXT_MARK);
    expect(own!.split(' ')).toHaveLength(SENTENCE_WORDS);
    expect(context).toBe('First one here.');
  });

  it('is the sentence alone at the start of a paragraph', () => {
    expect(passageText('First one here.')).toBe('First one here.');
  });

  it('cuts the context to its own limit and folds runs of white space', () => {
    const text = passageText('A  short\nsentence.', 'w '.repeat(50));
    expect(text.startsWith('A short sentence. || ')).toBe(true);
    expect(text.split(CONTEXT_MARK)[1]!.split(' ')).toHaveLength(CONTEXT_WORDS);
  });
});
