import { describe, expect, it } from 'vitest';
import { Bm25 } from '../../src/candidates/bm25.js';
import { holdsKind, kindTokens, questionType } from '../../src/candidates/features.js';
import { analyse, contentLemmas } from '../../src/language/nlp.js';
import { foldText, words } from '../../src/language/text.js';
import { WordNet } from '../../src/language/wordnet.js';

describe('text helpers', () => {
  it('folds curly quotes and white space', () => {
    expect(foldText('“There’s  no\ndeal”')).toBe('"There\'s no deal"');
  });

  it('splits words and drops possessives', () => {
    expect(words("Moscow’s position, 2025")).toEqual(['moscow', 'position', '2025']);
  });
});

describe('wink-nlp analysis', () => {
  it('lemmatises regular and irregular forms and drops stop words and possessives', () => {
    expect(contentLemmas(analyse("He spoke and met them. What is Moscow's position?"))).toEqual(['speak', 'meet', 'moscow', 'position']);
    expect(contentLemmas(analyse('What happens to the sanctions?'))).toEqual(contentLemmas(analyse('What happened to the sanction?')));
  });

  it('finds dates, durations and negation', () => {
    const a = analyse('Newton, in 1687, did not improve on it for nearly three hundred years.');
    const types = a.entities.map(([type]) => type);
    expect(types).toContain('DATE');
    expect(types).toContain('DURATION');
    expect(a.negated).toBe(true);
    expect(analyse('Newton improved on it.').negated).toBe(false);
  });
});

describe('question types and answer kinds', () => {
  it('reads the question word wherever it stands and the kind of answer it wants', () => {
    expect(questionType(analyse('Who developed the theory of relativity?'))).toEqual({ wh: 'who', kind: 'person' });
    expect(questionType(analyse('The laws were corrected by whom?'))).toEqual({ wh: 'who', kind: 'person' });
    expect(questionType(analyse('How many people visited?'))).toEqual({ wh: 'how_many', kind: 'number' });
    expect(questionType(analyse('How long did it take?'))).toEqual({ wh: 'how', kind: 'duration' });
    expect(questionType(analyse('In what year was it signed?'))).toEqual({ wh: 'what', kind: 'date' });
    expect(questionType(analyse('Why did they leave?'))).toEqual({ wh: 'why' });
    expect(questionType(analyse('Name the treaty.'))).toEqual({ wh: 'other' });
  });

  it('finds an answer of the asked kind only beyond the question’s own words', () => {
    const s = analyse('Newton published the laws in 1687.');
    expect(holdsKind(s, 'date', new Set(['newton']))).toBe(true);
    expect(holdsKind(s, 'date', new Set(['1687']))).toBe(false);
    expect(holdsKind(s, 'person', new Set(['laws']))).toBe(true);
    expect(holdsKind(s, 'person', new Set(['newton']))).toBe(false);
    expect(kindTokens(s, 'date', new Set()).map((i) => s.tokens[i])).toEqual(['1687']);
  });
});

describe('WordNet', () => {
  const wn = WordNet.load();

  it('relates a word to its synonyms and derived forms', () => {
    expect(wn.related('invade')).toEqual(expect.arrayContaining(['invasion', 'invader']));
    expect(wn.related('visitor')).toContain('visit');
    expect(wn.related('car')).toContain('automobile');
    expect(wn.related('invade')).not.toContain('invade');
  });

  it('gives antonyms, and nothing for unknown words', () => {
    expect(wn.antonyms('increase')).toContain('decrease');
    expect(wn.related('qwertyuiop')).toEqual([]);
    expect(wn.antonyms('qwertyuiop')).toEqual([]);
  });
});

describe('Bm25', () => {
  const docs = [['red', 'carpet'], ['red', 'square', 'moscow'], ['sanction', 'oil']];
  const bm = new Bm25(docs);

  it('ranks the document holding the rare term first', () => {
    const s = bm.scores(['carpet']);
    expect(s[0]).toBeGreaterThan(0);
    expect(s[1]).toBe(0);
    expect(s[2]).toBe(0);
  });

  it('gives rarer terms more weight than common ones', () => {
    expect(bm.idf('carpet')).toBeGreaterThan(bm.idf('red'));
    expect(bm.idf('unknown')).toBe(0);
  });

  it('scales a term by its weight', () => {
    const full = bm.scores(new Map([['oil', 1]]))[2]!;
    const half = bm.scores(new Map([['oil', 0.5]]))[2]!;
    expect(half).toBeCloseTo(full / 2);
  });
});

describe('questions typed as in chat', () => {
  it('reads "whats" and "whos" as what is and who is: a question word, not a content word', () => {
    const a = analyse('whats lavrovs job');
    expect(contentLemmas(a)).toEqual(['lavrovs', 'job']);
    expect(questionType(a).wh).toBe('what');
    expect(questionType(analyse('whos yuri ushakov')).wh).toBe('who');
  });

  it('reads an auxiliary with "nt" as negated', () => {
    expect(analyse('why cant they agree').negated).toBe(true);
    expect(analyse('why can they agree').negated).toBe(false);
  });

  it('joins a compound written with a hyphen into one token whose lemma folds the hyphen', () => {
    const a = analyse('a cease-fire and a ceasefire, from 2019-2020');
    expect(a.tokens).toContain('cease-fire');
    expect(a.lemmas.filter((l) => l === 'ceasefire')).toHaveLength(2);
    expect(a.tokens).not.toContain('20192020');
  });
});
