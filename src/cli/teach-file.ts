/** The lines of `npm run teach -- --file F`: a taught answer each, `{"q", "quote"}` or `{"q", "refuse": true}`. */
import { EXIT, ExitError } from '../errors.js';
import type { Lesson } from '../taught/taught-answers.js';

/** One line of a teach file, or an ExitError (65) naming it. */
export function parseTeachLine(line: string, where: string): { q: string; lesson: Lesson } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new ExitError(`${where} is not JSON: write {"q": "...", "quote": "..."} or {"q": "...", "refuse": true}.`, EXIT.dataErr);
  }
  const o = value as { q?: unknown; quote?: unknown; refuse?: unknown };
  if (value === null || typeof value !== 'object' || Array.isArray(value) || typeof o.q !== 'string') {
    throw new ExitError(`${where} is not an object with a "q" string: write {"q": "...", "quote": "..."} or {"q": "...", "refuse": true}.`, EXIT.dataErr);
  }
  if (o.q.trim() === '') throw new ExitError(`${where} has an empty question.`, EXIT.dataErr);
  const hasQuote = typeof o.quote === 'string';
  if (hasQuote === (o.refuse === true)) throw new ExitError(`${where} needs exactly one of "quote" (a string) or "refuse": true.`, EXIT.dataErr);
  return { q: o.q, lesson: hasQuote ? { quote: o.quote as string } : { refuse: true } };
}
