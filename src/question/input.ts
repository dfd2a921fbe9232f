/**
 * Cleaning and validating user text before it reaches retrieval. Returns either the cleaned text or a
 * short message safe to show the user; never throws.
 */
export const MAX_QUESTION_LENGTH = 500;

export type Cleaned = { ok: true; text: string } | { ok: false; code: InputErrorCode; message: string };
export type InputErrorCode = 'empty' | 'too_long' | 'not_text';

/** Removes what carries no meaning for a question: mentions, markdown, links, control and zero-width characters. */
export function cleanText(raw: string): string {
  return raw
    .normalize('NFKC')
    .replace(/[\u200B-\u200F\u2028-\u202F\u2060-\u206F\uFEFF\u00AD]/g, '') // zero-width, bidi, soft hyphen
    .replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, ' ') // control characters (tab/newline kept)
    .replace(/<@[!&]?\d+>|<#\d+>|<a?:\w+:\d+>|<\/[\w -]+:\d+>/g, ' ') // Discord mentions, channels, emoji
    .replace(/@(everyone|here)\b/gi, ' ')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/[*_~`|>#]+/g, ' ') // markdown markers
    .replace(/\s+/g, ' ')
    .trim();
}

/** What a question with nothing to ask gets: blank, punctuation only, or (after the chat reading) filler only. */
export const EMPTY_QUESTION_MESSAGE = 'Please type a question about the article, for example: "Will Trump impose new sanctions on Russia?"';

export function cleanQuestion(raw: unknown, maxLength = MAX_QUESTION_LENGTH): Cleaned {
  if (typeof raw !== 'string') return { ok: false, code: 'not_text', message: 'Please ask a question in words.' };
  if (raw.length > maxLength * 4) {
    return { ok: false, code: 'too_long', message: `That question is too long: keep it under ${maxLength} characters.` };
  }
  const text = cleanText(raw);
  if (text.length > maxLength) {
    return {
      ok: false,
      code: 'too_long',
      message: `That question is too long (${text.length} characters): keep it under ${maxLength}.`,
    };
  }
  if (!/[\p{L}\p{N}]/u.test(text)) {
    return { ok: false, code: 'empty', message: EMPTY_QUESTION_MESSAGE };
  }
  return { ok: true, text };
}
