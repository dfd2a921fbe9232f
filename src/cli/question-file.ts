/** The lines of `npm run ask -- --file F`: plain questions, or conversations as JSON objects. */
import { EXIT, ExitError } from '../errors.js';

export interface Asked {
  q: string;
  after: string[];
}

/** One line of a question file: a plain question, or a JSON object with "q" and an optional "after". */
export function parseQuestionLine(line: string, where: string): Asked {
  if (!line.trimStart().startsWith('{')) return { q: line, after: [] };
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new ExitError(`${where} starts with { but is not JSON: write {"q": "...", "after": ["..."]} or a plain question.`, EXIT.dataErr);
  }
  const o = value as { q?: unknown; after?: unknown };
  if (value === null || typeof value !== 'object' || Array.isArray(value) || typeof o.q !== 'string') {
    throw new ExitError(`${where} is a JSON object without a "q" string: write {"q": "...", "after": ["..."]}.`, EXIT.dataErr);
  }
  if (o.after !== undefined && !(Array.isArray(o.after) && o.after.every((a) => typeof a === 'string'))) {
    throw new ExitError(`${where}: "after" must be a list of earlier questions (strings).`, EXIT.dataErr);
  }
  return { q: o.q, after: (o.after as string[] | undefined) ?? [] };
}
