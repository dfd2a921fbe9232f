/**
 * Scoring against a question set: `{"q", "answerable": true, "evidence": [...]}` or `{"q", "answerable": false}`.
 * A citation holds the evidence when its quote contains an evidence phrase, compared case-insensitively
 * with curly quotes folded to straight ones and white space runs to one space.
 */
import type { AskResult } from './answer.js';
import { foldText } from './text.js';

export interface EvalItem {
  q: string;
  answerable: boolean;
  evidence?: string[];
}

export interface EvalReport {
  answerable: number;
  unanswerable: number;
  firstCitationHit: number;
  anyCitationHit: number;
  refusedUnanswerable: number;
  falseRefusals: number;
  /** Shares, 0–1. */
  firstCitationRate: number;
  anyCitationRate: number;
  refusalRate: number;
  misses: { q: string; why: string }[];
}

export function parseEvalSet(text: string): EvalItem[] {
  return text
    .split(/\r?\n/)
    .filter((l) => l.trim())
    .map((line, i) => {
      let item: EvalItem;
      try {
        item = JSON.parse(line) as EvalItem;
      } catch {
        throw new Error(`Line ${i + 1} is not JSON.`);
      }
      if (item === null || typeof item !== 'object' || typeof item.q !== 'string' || typeof item.answerable !== 'boolean') throw new Error(`Line ${i + 1}: needs "q" and "answerable".`);
      return item;
    });
}

export function holdsEvidence(quote: string, evidence: readonly string[]): boolean {
  const folded = foldText(quote).toLowerCase();
  return evidence.some((e) => folded.includes(foldText(e).toLowerCase()));
}

export function scoreEval(items: readonly EvalItem[], results: readonly AskResult[]): EvalReport {
  const r: EvalReport = {
    answerable: 0, unanswerable: 0, firstCitationHit: 0, anyCitationHit: 0, refusedUnanswerable: 0, falseRefusals: 0,
    firstCitationRate: 0, anyCitationRate: 0, refusalRate: 0, misses: [],
  };
  items.forEach((item, i) => {
    const res = results[i]!;
    if (item.answerable) {
      r.answerable++;
      const evidence = item.evidence ?? [];
      const first = res.answered && res.citations[0] !== undefined && holdsEvidence(res.citations[0].quote, evidence);
      const any = res.answered && res.citations.some((c) => holdsEvidence(c.quote, evidence));
      if (first) r.firstCitationHit++;
      if (any) r.anyCitationHit++;
      if (!res.answered) {
        r.falseRefusals++;
        r.misses.push({ q: item.q, why: 'refused an answerable question' });
      } else if (!first) {
        r.misses.push({ q: item.q, why: any ? 'evidence not in the first citation' : 'evidence in no citation' });
      }
    } else {
      r.unanswerable++;
      if (!res.answered) r.refusedUnanswerable++;
      else r.misses.push({ q: item.q, why: 'answered an unanswerable question' });
    }
  });
  r.firstCitationRate = r.answerable ? r.firstCitationHit / r.answerable : 0;
  r.anyCitationRate = r.answerable ? r.anyCitationHit / r.answerable : 0;
  r.refusalRate = r.unanswerable ? r.refusedUnanswerable / r.unanswerable : 0;
  return r;
}
