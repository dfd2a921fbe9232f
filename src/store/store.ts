/**
 * The bot's state in one database, behind one small interface: every question's outcome, the 👍/👎 votes
 * with their reasons, and conversation turns. SQLite (`better-sqlite3`, one file under DATA_DIR, WAL
 * mode, shared safely by the processes of one machine) by default; PostgreSQL (`pg`) when DATABASE_URL
 * is set, for bots run on several machines. Both run the same versioned migrations (`migrations.ts`) at
 * start-up and pass the same contract tests.
 *
 * What is kept is minimal: ids (answer message, voter, guild, channel), the vote and its reason, the
 * question, the cited paragraphs, the outcome and its confidence, the question's embedding (for grouping
 * similar questions in /gaps), the time. No user names and no answer text. Rows older than
 * RETENTION_DAYS are swept daily.
 */

export type VoteReason = 'wrong-passage' | 'not-an-answer' | 'not-covered' | 'other';
export const VOTE_REASONS: readonly VoteReason[] = ['wrong-passage', 'not-an-answer', 'not-covered', 'other'];

export interface QuestionRecord {
  /** The answer message's id (votes point at it). */
  id: string;
  guildId?: string | null;
  channelId?: string | null;
  question: string;
  answered: boolean;
  /** The answer model's calibrated confidence. */
  confidence: number;
  /** Cited paragraphs (answered) or the closest passages' paragraphs (refused), best first. */
  paragraphs: number[];
  /** The question's embedding, unit length (stored as int8). */
  vector?: Float32Array;
  at: Date;
}

export interface VoteRecord {
  answerId: string;
  userId: string;
  vote: 'up' | 'down';
  question: string;
  paragraphs: number[];
  at: Date;
  reason?: VoteReason;
}

/** A passage an asker picked as the one that answers, under a `likely` answer: one per user per answer. */
export interface PickRecord {
  answerId: string;
  userId: string;
  question: string;
  /** The chosen unit: its paragraph and article offsets. */
  paragraph: number;
  start: number;
  end: number;
  at: Date;
}

// Taught answers are the taught stage's idea; the store keeps them (`taught/taught.ts`).
import type { TaughtRecord } from '../taught/taught.js';
export { questionKey, TEACH_HOWS, type TaughtRecord, type TaughtUnit, type TeachHow } from '../taught/taught.js';


/** A question that may show a gap: refused, voted down, or answered with low confidence. */
export interface FlaggedQuestion {
  id: string;
  question: string;
  answered: boolean;
  confidence: number;
  paragraphs: number[];
  /** The embedding as stored (int8, see `unpackVector`): unpacked only for the wordings compared. */
  packed?: Uint8Array;
  downVotes: number;
  at: Date;
}

export interface StoreStats {
  asked: number;
  answered: number;
  refused: number;
  votesUp: number;
  votesDown: number;
  /** Down votes by reason (votes without one under `none`). */
  reasons: Record<VoteReason | 'none', number>;
  /** Passages picked under likely answers ("This answers it"), one per user per answer. */
  picks: number;
  /** The most cited paragraphs of answered questions, most first. */
  topParagraphs: { paragraph: number; citations: number }[];
}

export interface Turn {
  question: string;
  /** The question as understood, when it was read as a follow-up. */
  understood?: string;
  /** The cited sentences' article offsets. */
  citations: { start: number; end: number }[];
  at: number;
}

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /** The schema version after migrating. */
  readonly version: number;
  recordQuestion(q: QuestionRecord): Promise<void>;
  /** One vote per user per answer: false when this user already voted on this answer. */
  recordVote(v: VoteRecord): Promise<boolean>;
  /**
   * Records a pick; a second pick by the same user on the same answer replaces the first. `new` for a
   * first pick, `changed` for another passage, `same` for the same one again.
   */
  recordPick(p: PickRecord): Promise<'new' | 'changed' | 'same'>;
  /** Whether an answer (by its message id) was recorded and not yet swept. */
  hasAnswer(answerId: string): Promise<boolean>;
  /**
   * How many distinct users of a server picked this unit under answers to this question (the same
   * `questionKey`): when enough agree, their pick is taught.
   */
  pickAgreement(guildId: string, question: string, start: number, end: number): Promise<number>;
  /** Stores a taught answer; one with the same scope and question key is replaced (keeping its id). */
  teach(t: TaughtRecord): Promise<{ id: string; replaced: boolean }>;
  /** Every taught answer (of one scope when given), newest first. */
  taught(scope?: string): Promise<TaughtRecord[]>;
  /** How many taught answers there are and the newest one's time (0 when none): one cheap row, polled by every process. */
  taughtSummary(): Promise<{ count: number; latest: number }>;
  /** Each taught answer's id and time: cheap, for noticing what another process taught or forgot. */
  taughtVersions(): Promise<{ id: string; at: number }[]>;
  taughtByIds(ids: readonly string[]): Promise<TaughtRecord[]>;
  /** Forgets a taught answer (only within `scope` when given); false when there is none. */
  forgetTaught(id: string, scope?: string): Promise<boolean>;
  /** Sets the reason of a user's vote; false when there is no such vote. */
  setVoteReason(answerId: string, userId: string, reason: VoteReason): Promise<boolean>;
  /** Questions since `since` that were refused, voted down, or answered below `lowConfidence`. */
  flagged(since: Date, lowConfidence: number): Promise<FlaggedQuestion[]>;
  stats(since: Date, top?: number): Promise<StoreStats>;
  /** A conversation's turns (oldest first), or [] when none or expired. */
  turns(conversationId: string): Promise<Turn[]>;
  saveTurns(conversationId: string, turns: readonly Turn[]): Promise<void>;
  /** Deletes everything recorded before `before`; returns how many rows went. */
  sweep(before: Date): Promise<number>;
  close(): Promise<void>;
}

/** A unit vector as int8 (×127), and back. */
export function packVector(v: Float32Array): Buffer {
  const out = Buffer.alloc(v.length);
  for (let i = 0; i < v.length; i++) out.writeInt8(Math.max(-127, Math.min(127, Math.round(v[i]! * 127))), i);
  return out;
}

export function unpackVector(b: Uint8Array | null | undefined): Float32Array | undefined {
  if (!b || b.length === 0) return undefined;
  const ints = new Int8Array(b.buffer, b.byteOffset, b.length);
  const v = new Float32Array(ints.length);
  let norm = 0;
  for (let i = 0; i < ints.length; i++) norm += ints[i]! * ints[i]!;
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let i = 0; i < ints.length; i++) v[i] = ints[i]! * scale;
  return v;
}
