import { describe, expect, it } from 'vitest';
import { anaphora, contextQuestion, MAX_UNDERSTOOD, turnOf, understood } from '../../src/conversation/follow-up.js';
import { analyse } from '../../src/language/nlp.js';
import { parseQuestionLine } from '../../src/cli/question-file.js';
import { parseEvalSet } from '../../src/quality/evaluate.js';
import { sameAnswer } from '../../src/quality/follow-ups.js';
import { ExitError } from '../../src/errors.js';

describe('follow-up reading', () => {
  it('counts pronouns that point outside the question, not question words or the speaker and listener', () => {
    expect(anaphora(analyse('what did he say about it'))).toBe(2);
    expect(anaphora(analyse('who is yuri ushakov'))).toBe(0);
    expect(anaphora(analyse('can you tell me what the summit achieved'))).toBe(0);
  });

  it('joins the earlier question and the follow-up, keeping the latest words of a long chain', () => {
    expect(understood('who is yuri ushakov', 'and lavrov?')).toBe('who is yuri ushakov? and lavrov?');
    expect(understood('who is yuri ushakov?', 'and lavrov?')).toBe('who is yuri ushakov? and lavrov?');
    const long = understood('word '.repeat(100).trim(), 'and lavrov?');
    expect(long.length).toBeLessThanOrEqual(MAX_UNDERSTOOD);
    expect(long.endsWith('and lavrov?')).toBe(true);
    expect(long.startsWith('word')).toBe(true);
  });

  it('makes a turn from an answer: what it cited, or the closest passages of a refusal', () => {
    const cite = { start: 10, end: 20 };
    const close = { start: 30, end: 40 };
    expect(turnOf({ question: 'q', answered: true, citations: [cite], closest: [] })).toEqual({ question: 'q', cited: [cite] });
    expect(turnOf({ question: 'q', answered: false, citations: [], closest: [close] })).toEqual({ question: 'q', cited: [close] });
    const t = turnOf({ question: 'and lavrov?', understood: 'who is ushakov? and lavrov?', answered: true, citations: [cite], closest: [] });
    expect(contextQuestion(t)).toBe('who is ushakov? and lavrov?');
  });

  it('calls two answers the same only when both refuse or both cite the same first sentence', () => {
    const a = { question: 'q', answered: true, answer: '', citations: [{ paragraph: 1, kind: 'body' as const, quote: 'x', start: 1, end: 5 }], closest: [], confidence: 1 };
    expect(sameAnswer(a, { ...a })).toBe(true);
    expect(sameAnswer(a, { ...a, citations: [{ ...a.citations[0]!, start: 6, end: 9 }] })).toBe(false);
    expect(sameAnswer(a, { ...a, answered: false, citations: [] })).toBe(false);
    expect(sameAnswer({ ...a, answered: false }, { ...a, answered: false, citations: [] })).toBe(true);
  });
});

describe('question files and follow-up sets', () => {
  it('reads a plain line as a question and a JSON object as a conversation', () => {
    expect(parseQuestionLine('who is lavrov?', 'Line 1')).toEqual({ q: 'who is lavrov?', after: [] });
    expect(parseQuestionLine('{"q": "and ushakov?", "after": ["who is lavrov?"]}', 'Line 2')).toEqual({ q: 'and ushakov?', after: ['who is lavrov?'] });
  });

  it('names the line of a malformed conversation object, with the data-error status', () => {
    for (const line of ['{"q": 3}', '{"q": "x", "after": "y"}', '{not json', '{"after": []}']) {
      let caught: unknown;
      try {
        parseQuestionLine(line, 'Line 7 of q.txt');
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(ExitError);
      expect((caught as ExitError).exitCode).toBe(65);
      expect((caught as Error).message).toMatch(/^Line 7 of q\.txt/);
    }
  });

  it('rejects a follow-up set whose "after" is not a list of questions', () => {
    expect(() => parseEvalSet('{"q": "x", "answerable": false, "after": "y"}')).toThrow(/Line 1: "after"/);
    expect(parseEvalSet('{"q": "x", "answerable": false, "after": ["y"], "change": true}')[0]).toMatchObject({ after: ['y'], change: true });
  });
});
