/**
 * Coverage gaps for moderators: what people keep asking that the article doesn't answer well. The
 * store's flagged questions (refused, voted down, or answered with low confidence) are grouped, the
 * same wording first and then near-duplicates by the cosine of their embeddings, and listed most asked
 * first with the latest wording and the closest passage.
 */
import { dot } from '../index/embedder.js';
import { questionKey, unpackVector, type FlaggedQuestion, type TaughtRecord, type TeachHow } from './store.js';

export const DAY_MS = 24 * 60 * 60 * 1000;

/** The moment `days` days ago. */
export function daysAgo(days: number, now = Date.now()): Date {
  return new Date(now - days * DAY_MS);
}

/** Below this calibrated confidence an answer counts as unsure (less likely right than wrong). */
export const LOW_CONFIDENCE = 0.5;
/**
 * A question joins a gap when its embedding is at least this close to one of the gap's wordings. With
 * minilm-embedder, on the fitted taught sets (`scripts/gap-similarity.ts`): at 0.6, 54 of 72 rewordings
 * of a question are grouped with it and 22 of 48 other questions of the same shape ("who is lavrov" for
 * "who is ushakov"); use-lite at its 0.62 grouped about 60 and 37.
 */
export const GAP_SIMILARITY = 0.6;
/** Wordings of a gap compared with a new one (the most asked first): bounds the work on a long list. */
const COMPARED_WORDINGS = 20;
/**
 * Only the most asked distinct wordings are compared by embedding; rarer ones (asked once or twice, at the
 * end of the list) stand alone unless worded the same. Keeps /gaps well under a second at 100,000 rows.
 */
export const CLUSTERED_WORDINGS = 500;

export interface Gap {
  /** How many times it was asked (all wordings). */
  count: number;
  /** The most recent wording. */
  question: string;
  /** Other wordings, most recent first (at most 3). */
  wordings: string[];
  /** Every distinct wording, the latest first (what teaching the gap teaches). */
  allWordings: string[];
  /** Set when a taught answer answers one of its wordings now: how and when it was taught. */
  taught?: { how: TeachHow; at: Date };
  refused: number;
  unsure: number;
  downVotes: number;
  /** The paragraph of the closest passage (refused) or first citation (answered) of the latest wording. */
  paragraph?: number;
  latest: Date;
}


/** Groups flagged questions (newest first, as the store returns them) into gaps, most asked first. */
export function groupGaps(flagged: readonly FlaggedQuestion[], similarity = GAP_SIMILARITY): Gap[] {
  // The same wording is one entry before any vector is compared.
  const byText = new Map<string, { rows: FlaggedQuestion[]; packed?: Uint8Array }>();
  for (const f of flagged) {
    const key = questionKey(f.question);
    const entry = byText.get(key) ?? { rows: [], packed: f.packed };
    entry.rows.push(f);
    entry.packed ??= f.packed;
    byText.set(key, entry);
  }
  // Most asked wordings first, so each group is seeded by its most common wording.
  const entries = [...byText.values()].sort((a, b) => b.rows.length - a.rows.length || b.rows[0]!.at.getTime() - a.rows[0]!.at.getTime());
  const groups: { vectors: Float32Array[]; entries: typeof entries }[] = [];
  for (const [rank, e] of entries.entries()) {
    const v = rank < CLUSTERED_WORDINGS ? unpackVector(e.packed) : undefined;
    const home = v ? groups.find((g) => g.vectors.some((w) => dot(w, v) >= similarity)) : undefined;
    if (home) {
      home.entries.push(e);
      if (home.vectors.length < COMPARED_WORDINGS) home.vectors.push(v!);
    } else groups.push({ vectors: v ? [v] : [], entries: [e] });
  }
  return groups
    .map((g) => {
      const rows = g.entries.flatMap((e) => e.rows).sort((a, b) => b.at.getTime() - a.at.getTime());
      const latest = rows[0]!;
      const allWordings = [...new Set(rows.map((r) => r.question))];
      const wordings = allWordings.filter((q) => q !== latest.question).slice(0, 3);
      return {
        count: rows.length,
        question: latest.question,
        wordings,
        allWordings,
        refused: rows.filter((r) => !r.answered).length,
        unsure: rows.filter((r) => r.answered && r.confidence < LOW_CONFIDENCE).length,
        downVotes: rows.reduce((n, r) => n + r.downVotes, 0),
        paragraph: latest.paragraphs[0],
        latest: latest.at,
      };
    })
    .sort((a, b) => b.count - a.count || b.latest.getTime() - a.latest.getTime());
}

/** Why a gap is listed, e.g. "3 refused, 1 unsure, 2 👎"; `down` names a down vote. */
export function gapReasons(g: Pick<Gap, 'refused' | 'unsure' | 'downVotes'>, down: string): string {
  return [g.refused && `${g.refused} refused`, g.unsure && `${g.unsure} unsure`, g.downVotes && `${g.downVotes} ${down}`].filter(Boolean).join(', ');
}

/** Marks the gaps that have been taught since: one of their wordings is a taught question (the newest taught answer). */
export function markTaught(gaps: readonly Gap[], taught: readonly TaughtRecord[]): Gap[] {
  const byKey = new Map<string, TaughtRecord>();
  for (const t of taught) {
    const key = questionKey(t.question);
    const seen = byKey.get(key);
    if (!seen || seen.at < t.at) byKey.set(key, t);
  }
  return gaps.map((g) => {
    const found = g.allWordings.map((w) => byKey.get(questionKey(w))).filter((t): t is TaughtRecord => t !== undefined).sort((a, b) => b.at.getTime() - a.at.getTime())[0];
    return found ? { ...g, taught: { how: found.how, at: found.at } } : g;
  });
}
