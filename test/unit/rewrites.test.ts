import { describe, expect, it } from 'vitest';
import { names } from '../../src/language/names.js';
import { rewrites } from '../../src/quality/rewrites.js';

const context = {
  names: { people: ['mick mulroy', 'sergei lavrov', 'putin'], places: ['moscow', 'sumy'], organizations: [] },
  antonyms: { win: ['lose'] },
};

describe('names (compromise)', () => {
  it('finds people and places, a run of tagged words as one name', () => {
    const n = names('Plans for the meeting came about quickly after special envoy Steve Witkoff went to Moscow.');
    expect(n.people).toContain('steve witkoff');
    expect(n.places).toContain('moscow');
  });

  it('lists several people of one sentence separately', () => {
    const n = names('Putin was joined by Yuri Ushakov, his longtime adviser, and Sergei Lavrov.');
    expect(n.people).toEqual(expect.arrayContaining(['yuri ushakov', 'putin']));
    expect(n.people.length).toBeGreaterThanOrEqual(3);
  });
});

describe('rewriting answerable questions into unanswerable ones', () => {
  it('swaps a person for another person of the article, keeping the capitals', () => {
    const out = rewrites('What did Mick Mulroy say about flattery?', context);
    const swap = out.find((r) => r.cause === 'swap-name');
    expect(swap?.q).toMatch(/^What did (Sergei Lavrov|Putin) say about flattery\?$/);
  });

  it('replaces a word with its WordNet antonym', () => {
    expect(rewrites('who won the summit', context)).toContainEqual({ q: 'who lose the summit', cause: 'antonym' });
  });

  it('turns a wh-question around, and never a yes/no question', () => {
    expect(rewrites('What did Mick Mulroy say?', context)).toContainEqual({ q: "What didn't Mick Mulroy say?", cause: 'negation' });
    expect(rewrites("why didn't he stay", context)).toContainEqual({ q: 'why did he stay', cause: 'negation' });
    expect(rewrites('Did Trump take questions?', context).map((r) => r.cause)).not.toContain('negation');
  });

  it('gives the same rewrites for the same question', () => {
    expect(rewrites('What did Mick Mulroy say?', context)).toEqual(rewrites('What did Mick Mulroy say?', context));
  });

  it('gives nothing when no rule applies', () => {
    expect(rewrites('Is it raining?', context)).toEqual([]);
  });
});
