/**
 * Follow-ups: a question asked after another is answered twice, on its own and in the light of the
 * earlier turn (its question's words and embedding, its answer's sentences: `RetrievalContext`), and a
 * learned gate picks the reading. The gate sees only named features (`FOLLOW_UP_FEATURES`), so a question
 * that stands on its own ("what is the capital of france?") keeps the answer it gets alone.
 */
import type { Decision } from '../decision/answer-model.js';
import { FOLLOW_UP_FEATURES, questionType } from '../candidates/features.js';
import type { Analysis } from '../language/nlp.js';
import type { Retrieval } from '../candidates/retrieval.js';

/** One earlier turn of a conversation, as the core needs it. */
export interface ConversationTurn {
  /** The question as typed. */
  question: string;
  /** The question as understood, when it was read as a follow-up ("who is yuri ushakov? and lavrov?"). */
  understood?: string;
  /** Article offsets of the sentences its answer cited (or offered as closest). */
  cited: readonly { start: number; end: number }[];
}

/** The longest context carried over, in characters: a long chain keeps its latest words. */
export const MAX_UNDERSTOOD = 300;

/** The earlier turn's question as the next follow-up reads it. */
export function contextQuestion(turn: ConversationTurn): string {
  return turn.understood ?? turn.question;
}

/** "who is yuri ushakov? and lavrov?": the earlier question and the follow-up, cut to its latest words. */
export function understood(earlier: string, question: string): string {
  const joined = `${earlier.trim()}${/[?.!]$/.test(earlier.trim()) ? '' : '?'} ${question.trim()}`;
  if (joined.length <= MAX_UNDERSTOOD) return joined;
  const cut = joined.slice(joined.length - MAX_UNDERSTOOD);
  return cut.slice(cut.indexOf(' ') + 1);
}

/**
 * Pronouns that point outside the question: a pronoun that is neither a question word (who, what, which)
 * nor the speaker or listener (I, you, we), as tagged by wink-nlp's part of speech.
 */
export function anaphora(q: Analysis): number {
  const speakerOrListener = /^(?:i|me|my|mine|myself|we|us|our|ours|you|your|yours)$/;
  return q.tokens.filter((t, i) => q.pos[i] === 'PRON' && !/^(?:wh|how)/.test(t) && !speakerOrListener.test(t)).length;
}

export interface Reading {
  retrieval: Retrieval;
  decision: Decision;
}

/** The gate's feature values, in `FOLLOW_UP_FEATURES` order. */
export function followUpFeatures(alone: Reading, resolved: Reading): number[] {
  const q = alone.retrieval.question;
  const top = (r: Reading) => (r.decision.order.length ? r.retrieval.candidates[r.decision.order[0]!]!.sentence.id : -1);
  const values: Record<(typeof FOLLOW_UP_FEATURES)[number], number> = {
    own_terms: Math.log1p(alone.retrieval.questionLevel.terms),
    anaphora: anaphora(q) > 0 ? 1 : 0,
    leading_conjunction: q.pos[0] === 'CCONJ' ? 1 : 0,
    no_question_word: questionType(q).wh === 'other' ? 1 : 0,
    alone_confidence: alone.decision.answerable,
    resolved_confidence: resolved.decision.answerable,
    confidence_gain: resolved.decision.answerable - alone.decision.answerable,
    same_answer: top(alone) === top(resolved) ? 1 : 0,
    alone_unknown_share: alone.retrieval.questionLevel.articleMissingShare,
    alone_missing_name: alone.decision.order.length && alone.retrieval.candidates[alone.decision.order[0]!]!.signals.missingName ? 1 : 0,
  };
  return FOLLOW_UP_FEATURES.map((f) => values[f]);
}

/** The turn an answer adds to its conversation: what was asked, as understood, and what it cited (or offered). */
export function turnOf(r: { question: string; understood?: string; answered: boolean; citations: readonly { start: number; end: number }[]; closest: readonly { start: number; end: number }[] }): ConversationTurn {
  const cited = (r.answered ? r.citations : r.closest).map(({ start, end }) => ({ start, end }));
  return r.understood === undefined ? { question: r.question, cited } : { question: r.question, understood: r.understood, cited };
}
