import { describe, expect, it } from 'vitest';
import { parseEvalSet } from '../../src/quality/evaluate.js';
import { parseArticle } from '../../src/article/article.js';
import { convertSquad, squadName, SquadFormatError } from '../../src/quality/squad.js';
import { HAND_MADE } from '../helpers/squad-sample.js';

describe('SQuAD 2.0 converter', () => {
  const [steam, france] = convertSquad(HAND_MADE);

  it('names files after the title in lower case with hyphens, accents dropped', () => {
    expect(squadName('Steam_engine')).toBe('steam-engine');
    expect(france!.name).toBe('economie-de-la-france');
  });

  it('writes one paragraph a line, so line n is paragraph n, line breaks inside a context folded', () => {
    expect(steam!.text).toBe('A steam engine is a heat engine. It performs work using steam.\nJames Watt improved it in 1776.\n');
    expect(parseArticle(steam!.text).paragraphs.map((p) => p.n)).toEqual([1, 2]);
  });

  it('writes answerable questions with their paragraph and distinct gold texts, unanswerable ones with their plausible texts', () => {
    const items = parseEvalSet(steam!.qa);
    expect(items).toEqual([
      { q: 'What kind of engine is a steam engine?', answerable: true, paragraph: 1, evidence: ['a heat engine', 'heat engine'] },
      { q: 'What kind of engine is a diesel engine?', answerable: false, paragraph: 1, plausible: ['a heat engine'] },
      { q: 'When did Watt improve it?', answerable: true, paragraph: 2, evidence: ['1776'] },
    ]);
    expect(steam!.questions).toBe(3);
    expect(steam!.unanswerable).toBe(1);
  });

  it('keeps only the named articles, by name or by title', () => {
    expect(convertSquad(HAND_MADE, ['steam-engine']).map((a) => a.name)).toEqual(['steam-engine']);
    expect(convertSquad(HAND_MADE, ['Économie_de_la_France']).map((a) => a.name)).toEqual(['economie-de-la-france']);
  });

  it('refuses a file that is not SQuAD, naming what is missing', () => {
    expect(() => convertSquad({ rows: [] })).toThrow(SquadFormatError);
    expect(() => convertSquad({ data: [{ title: 'X' }] })).toThrow(/article 1 has no "title" or "paragraphs"/);
    expect(() => convertSquad({ data: [{ title: 'X', paragraphs: [{ context: 'c', qas: [{ question: 'q?', answers: [] }] }] }] })).toThrow(/no answer text/);
  });
});
