/**
 * Scoring taught answers on a set of `data/eval/taught-*.jsonl` (see its README): each line's taught
 * answer is taught (as an import, everywhere), then its rewordings must be answered with it, its swaps
 * must not be captured by any taught answer, and the unrelated questions must be answered exactly as
 * without taught answers. The taught answers are forgotten again at the end.
 */
import { taughtResult, type MatchOptions, type TaughtRecord } from '../taught/taught.js';
import type { AskResult } from '../answer/answer.js';
import type { Footnote } from '../footnote.js';

export const TAUGHT_FIT_SET = 'data/eval/taught-fit.jsonl';
/** The first held-out half: read once, then fitted on (its figures before that are in the README). */
export const TAUGHT_SPENT_SET = 'data/eval/taught-held.jsonl';
/** Held out since the first half was spent. */
export const TAUGHT_HELD_SET = 'data/eval/taught-new.jsonl';

export interface TaughtItem {
  taught?: string;
  quote?: string;
  refuse?: boolean;
  rewordings?: string[];
  swaps?: string[];
  unrelated?: string;
}

export interface TaughtReport {
  taught: number;
  rewordings: number;
  /** Rewordings answered with their own taught answer. */
  rewordingsRight: number;
  swaps: number;
  /** Swaps that some taught answer captured (the target is none). */
  swapsCaptured: number;
  unrelated: number;
  /** Unrelated questions answered exactly as without taught answers. */
  unrelatedSame: number;
  misses: { q: string; why: string }[];
}

/** Parses a taught set: one object a line, either a taught answer (`taught` with `quote` or `refuse`) or `unrelated`. */
export function parseTaughtSet(text: string): TaughtItem[] {
  return text
    .split('\n')
    .map((l, i) => [l.trim(), i + 1] as const)
    .filter(([l]) => l !== '')
    .map(([l, n]) => {
      let item: TaughtItem;
      try {
        item = JSON.parse(l) as TaughtItem;
      } catch {
        throw new Error(`line ${n} is not JSON`);
      }
      const ok = typeof item.unrelated === 'string' || (typeof item.taught === 'string' && (typeof item.quote === 'string' || item.refuse === true));
      if (!ok) throw new Error(`line ${n} is neither a taught answer ({"taught", "quote" | "refuse"}) nor {"unrelated"}`);
      return item;
    });
}

/** Whether a set is a taught set (its lines teach or are unrelated). */
export function isTaughtSet(items: readonly unknown[]): boolean {
  return items.length > 0 && items.every((i) => typeof i === 'object' && i !== null && ('taught' in i || 'unrelated' in i));
}

const same = (a: AskResult, b: AskResult) =>
  a.answer === b.answer && a.band === b.band && a.confidence === b.confidence && JSON.stringify(a.citations.map((c) => [c.start, c.end])) === JSON.stringify(b.citations.map((c) => [c.start, c.end]));

/**
 * Scores a taught set on `footnote` (whose own taught answers, if any, are left alone: the set's are added
 * under ids of their own and removed at the end). `match`: other thresholds (tuning).
 */
export async function scoreTaught(items: readonly TaughtItem[], footnote: Footnote, match?: MatchOptions): Promise<TaughtReport> {
  const lessons = items.filter((i) => i.taught !== undefined);
  const records: TaughtRecord[] = [];
  for (const [k, item] of lessons.entries()) {
    const lesson = item.refuse ? ({ refuse: true } as const) : { quote: item.quote! };
    records.push({ ...(await footnote.taught.lesson(item.taught!, lesson, { how: 'import', scope: '' })), id: `eval-${k}` });
  }
  const load = await footnote.taught.apply(records);
  if (load.stale.length) throw new Error(`taught answers ${load.stale.join(', ')} don't match the article`);
  const report: TaughtReport = { taught: records.length, rewordings: 0, rewordingsRight: 0, swaps: 0, swapsCaptured: 0, unrelated: 0, unrelatedSame: 0, misses: [] };
  const answer = async (q: string) => {
    const plain = await footnote.ask(q, [], { untaught: true });
    const found = footnote.taught.match(plain, undefined, match);
    return { plain, found, taught: found ? taughtResult(plain, found.entry) : plain };
  };
  try {
    for (const [k, item] of lessons.entries()) {
      for (const q of item.rewordings ?? []) {
        report.rewordings++;
        const { found } = await answer(q);
        if (found?.entry.id === `eval-${k}`) report.rewordingsRight++;
        else report.misses.push({ q, why: found ? `captured by “${found.entry.question}” instead of “${item.taught}”` : `not matched to “${item.taught}”` });
      }
      for (const q of item.swaps ?? []) {
        report.swaps++;
        const { found } = await answer(q);
        if (found) {
          report.swapsCaptured++;
          report.misses.push({ q, why: `swap captured by “${found.entry.question}” (${found.similarity.toFixed(2)})` });
        }
      }
    }
    for (const item of items.filter((i) => i.unrelated !== undefined)) {
      report.unrelated++;
      const { plain, taught, found } = await answer(item.unrelated!);
      if (same(plain, taught)) report.unrelatedSame++;
      else report.misses.push({ q: item.unrelated!, why: `unrelated question captured by “${found?.entry.question}”` });
    }
  } finally {
    await footnote.taught.apply([], records.map((r) => r.id));
  }
  return report;
}
