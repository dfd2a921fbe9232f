import { describe, expect, it } from 'vitest';
import { Bm25 } from '../../src/bm25.js';
import { acronymsOf } from '../../src/retrieval.js';
import { expandTerms, foldText, stem, terms } from '../../src/text.js';
import { askedSpeaker, countedNoun, expectedAnswerType, hasAnswerType } from '../../src/answer-type.js';

describe('text helpers', () => {
  it('folds curly quotes and white space', () => {
    expect(foldText('“There’s  no\ndeal”')).toBe('"There\'s no deal"');
  });

  it('stems plural and inflected forms to one term, and maps irregular verbs', () => {
    expect(stem('sanctions')).toBe(stem('sanction'));
    expect(terms('spoken')).toEqual(terms('speak'));
    expect(terms('He met them')).toEqual(terms('meet'));
  });

  it('drops stop words and possessives', () => {
    expect(terms("What is Moscow's position?")).toEqual(['moscow', 'position']);
  });

  it('expands query terms with synonyms at a lower weight', () => {
    const w = expandTerms(terms('talked'), 0.7);
    expect(w.get(terms('talk')[0]!)).toBe(1);
    expect(w.get(terms('speak')[0]!)).toBe(0.7);
  });
});

describe('Bm25', () => {
  const docs = [['red', 'carpet'], ['red', 'square', 'moscow'], ['sanction', 'oil']].map((d) => d.map(stem));
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

describe('acronyms and answer types', () => {
  it('finds acronyms the article spells out', () => {
    const a = acronymsOf('hopes for membership in the North Atlantic Treaty Organization.');
    expect(a.get('nato')).toEqual(terms('North Atlantic Treaty Organization'));
  });

  it('reads the expected answer type from the question', () => {
    expect(expectedAnswerType('How often have they talked?')).toBe('frequency');
    expect(expectedAnswerType('How long did Putin speak?')).toBe('duration');
    expect(expectedAnswerType('What time did it start?')).toBe('clock');
    expect(expectedAnswerType('When did Russia sell Alaska?')).toBe('date');
    expect(expectedAnswerType('Who is Witkoff?')).toBeUndefined();
  });

  it('recognises sentences holding a type', () => {
    expect(hasAnswerType('They have spoken several times.', 'frequency')).toBe(true);
    expect(hasAnswerType('Putin spoke for roughly eight minutes.', 'duration')).toBe(true);
    expect(hasAnswerType('Alaska, which Russia sold to the U.S. in 1867.', 'date')).toBe(true);
    expect(hasAnswerType('They met at 10 a.m.', 'clock')).toBe(true);
    expect(hasAnswerType('They met in the morning.', 'clock')).toBe(false);
  });
});

describe('question shapes', () => {
  it('finds the counted noun of "how many" questions', () => {
    expect(countedNoun('How many nuclear weapons does Russia have?')).toBe('weapons');
    expect(countedNoun('How many people has the war killed?')).toBe('people');
    expect(countedNoun('Who is Witkoff?')).toBeUndefined();
  });

  it('finds the speaker of "what did X say" questions', () => {
    expect(askedSpeaker('What did Heather Conley say about the meeting?')).toBe('Heather Conley');
    expect(askedSpeaker('What did Zakharova write on Telegram?')).toBe('Zakharova');
    expect(askedSpeaker('What advice did Trump give?')).toBeUndefined();
  });

  it('treats "how tall/old/far" as a measurement', () => {
    expect(expectedAnswerType('How tall is Putin?')).toBe('measure');
    expect(hasAnswerType('He is 5 feet 7 inches.', 'measure')).toBe(true);
    expect(hasAnswerType('the 3½-year war', 'measure')).toBe(false);
  });
});
