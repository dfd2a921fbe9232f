/**
 * Unanswerable training questions made from answerable ones, by rewriting a question so that the article
 * no longer answers it (the kinds of change SQuAD 2.0's crowd workers made by hand):
 *
 * - `swap-name`: a person, place or organisation of the question becomes another one of the same kind from
 *   the same article ("what did mulroy say about flattery" → "what did lavrov say about flattery");
 * - `antonym`: a word becomes its WordNet antonym ("who won" → "who lost");
 * - `negation`: a "not" is added after the first auxiliary, or removed.
 *
 * Deterministic: the same question and article give the same rewrites. Training data only, never scored
 * as a figure of the model (they are noisy: a swap can land on a question the article does answer).
 */
import { names as findNames, type Names } from '../language/names.js';
import { analyse, foldLemma } from '../language/nlp.js';

export type RewriteCause = 'swap-name' | 'antonym' | 'negation';
export const REWRITE_CAUSES: readonly RewriteCause[] = ['swap-name', 'antonym', 'negation'];

export interface Rewrite {
  q: string;
  cause: RewriteCause;
}

export interface RewriteContext {
  /** Every name the article's sentences hold, by kind. */
  names: Names;
  /** Article lemma → its WordNet antonyms. */
  antonyms: Readonly<Record<string, readonly string[]>>;
}

const AUXILIARIES = /^(?:did|does|do|is|was|were|are|has|have|had|can|could|will|would|should)$/;

/** One rewrite of each cause that applies to `question`. */
export function rewrites(question: string, ctx: RewriteContext, seed = 0): Rewrite[] {
  const out: Rewrite[] = [];
  const swapped = swapName(question, ctx.names, seed);
  if (swapped) out.push({ q: swapped, cause: 'swap-name' });
  const opposite = antonym(question, ctx.antonyms, seed);
  if (opposite) out.push({ q: opposite, cause: 'antonym' });
  // A yes/no question negated asks the same thing ("didn't he go?"): only wh-questions are turned around.
  const negated = /^\s*(?:what|who|whom|whose|which|where|when|why|how)\b/i.test(question) ? toggleNegation(question) : undefined;
  if (negated) out.push({ q: negated, cause: 'negation' });
  return out.filter((r) => r.q.toLowerCase() !== question.toLowerCase());
}

function swapName(question: string, article: Names, seed: number): string | undefined {
  const own = findNames(question);
  for (const kind of ['people', 'places', 'organizations'] as const) {
    const name = own[kind][0];
    if (!name) continue;
    const words = new Set(name.split(' '));
    const others = [...new Set(article[kind])].filter((n) => !n.split(' ').some((w) => words.has(w)) && n.length > 2);
    if (others.length === 0) continue;
    const other = others[(hash(question) + seed) % others.length]!;
    const at = question.toLowerCase().indexOf(name);
    if (at < 0) continue;
    return question.slice(0, at) + titleCase(other, question.slice(at, at + name.length)) + question.slice(at + name.length);
  }
  return undefined;
}

function antonym(question: string, antonyms: RewriteContext['antonyms'], seed: number): string | undefined {
  const a = analyse(question);
  for (const i of a.content) {
    const list = antonyms[a.lemmas[i]!] ?? antonyms[foldLemma(a.lemmas[i]!)];
    if (!list?.length) continue;
    const word = a.tokens[i]!;
    const at = question.toLowerCase().search(new RegExp(`(?<![\\p{L}])${escape(word)}(?![\\p{L}])`, 'u'));
    if (at < 0) continue;
    return question.slice(0, at) + list[(hash(question) + seed) % list.length]! + question.slice(at + word.length);
  }
  return undefined;
}

const NEGATED: Record<string, string> = { can: "can't", will: "won't" };

/** "didn't" → "did", "did" → "didn't" (the first auxiliary), "not" removed. */
function toggleNegation(question: string): string | undefined {
  const positive = question.replace(/\b(\w+?)(n['’]?t)\b/i, (m, aux: string) => {
    const base = aux.toLowerCase() === 'ca' ? 'can' : aux.toLowerCase() === 'wo' ? 'will' : aux;
    return AUXILIARIES.test(base.toLowerCase()) ? base : m;
  });
  if (positive !== question) return positive;
  const removed = question.replace(/\s+not\b/i, '');
  if (removed !== question) return removed;
  return question.replace(/\b(did|does|do|is|was|were|are|has|have|had|can|could|will|would|should)\b/i, (aux: string) => NEGATED[aux.toLowerCase()] ?? `${aux}n't`);
}

function titleCase(name: string, like: string): string {
  return /^\p{Lu}/u.test(like) ? name.replace(/(^|\s)(\p{Ll})/gu, (_, s: string, c: string) => s + c.toUpperCase()) : name;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function hash(s: string): number {
  let h = 2166136261;
  for (const ch of s) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return Math.abs(h);
}
