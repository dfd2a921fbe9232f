import { describe, expect, it } from 'vitest';
import { cleanQuestion, cleanText, MAX_QUESTION_LENGTH } from '../../src/question/input.js';

describe('cleanQuestion', () => {
  it('rejects empty and whitespace-only questions with a clear message', () => {
    for (const q of ['', '   ', '\n\t', '\u200B\u200B', '***']) {
      const r = cleanQuestion(q);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.code).toBe('empty');
    }
  });

  it('rejects questions over the limit, saying the limit', () => {
    const r = cleanQuestion('why '.repeat(200));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe('too_long');
      expect(r.message).toContain(String(MAX_QUESTION_LENGTH));
    }
  });

  it('rejects non-text input', () => {
    expect(cleanQuestion(42).ok).toBe(false);
    expect(cleanQuestion(undefined).ok).toBe(false);
  });

  it('removes mentions, @everyone, markdown, links, control and zero-width characters', () => {
    expect(cleanText('<@123456789012345678> **Who** is\u200B Witkoff?\u0007 @everyone https://x.y/z')).toBe('Who is Witkoff?');
  });

  it('keeps an ordinary question as it is', () => {
    expect(cleanQuestion('Who is Maria Zakharova?')).toEqual({ ok: true, text: 'Who is Maria Zakharova?' });
  });
});
