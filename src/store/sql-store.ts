/**
 * The one implementation of `Store`, over a small adapter that each database provides (`sqlite.ts`,
 * `postgres.ts`): the same statements, the same rules, so the contract tests hold for both.
 */
import { dialect, MIGRATIONS, SCHEMA_VERSION, type Migration } from './migrations.js';
import { randomBytes } from 'node:crypto';
import {
  packVector,
  questionKey,
  TEACH_HOWS,
  unpackVector,
  VOTE_REASONS,
  type FlaggedQuestion,
  type PickRecord,
  type QuestionRecord,
  type Store,
  type StoreStats,
  type TaughtRecord,
  type TaughtUnit,
  type TeachHow,
  type Turn,
  type VoteReason,
  type VoteRecord,
} from './store.js';

export type Row = Record<string, unknown>;

/** What a database gives the store. Statements use `?` placeholders. */
export interface Db {
  readonly kind: 'sqlite' | 'postgres';
  run(sql: string, params?: unknown[]): Promise<{ changes: number }>;
  all(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Runs `fn` on a transaction that holds the migration lock (one migrator at a time across processes). */
  migrationTransaction(fn: (tx: Db) => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

/** Conversation turns older than this are forgotten. */
export const CONVERSATION_TTL_MS = 6 * 60 * 60 * 1000;
/** How many turns a conversation keeps. */
export const CONVERSATION_TURNS = 6;

export class SqlStore implements Store {
  private constructor(
    private readonly db: Db,
    readonly version: number,
  ) {}

  get kind(): 'sqlite' | 'postgres' {
    return this.db.kind;
  }

  /** Migrates `db` to the newest schema (or to `upTo`, for tests) and returns the store. */
  static async open(db: Db, upTo = SCHEMA_VERSION): Promise<SqlStore> {
    await db.run('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
    let version = 0;
    for (const m of MIGRATIONS.filter((x) => x.version <= upTo)) {
      await db.migrationTransaction(async (tx) => {
        const done = await tx.all('SELECT version FROM schema_migrations WHERE version = ?', [m.version]);
        if (done.length === 0) await apply(tx, m);
      });
      version = m.version;
    }
    return new SqlStore(db, version);
  }

  /** The store over a database as it is, never migrated nor written (reading taught answers). */
  static attach(db: Db): SqlStore {
    return new SqlStore(db, 0);
  }

  async recordQuestion(q: QuestionRecord): Promise<void> {
    await this.db.run(
      'INSERT INTO questions (id, guild_id, channel_id, question, answered, confidence, paragraphs, vector, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
      [q.id, q.guildId ?? null, q.channelId ?? null, q.question.slice(0, 500), q.answered ? 1 : 0, q.confidence, JSON.stringify(q.paragraphs), q.vector ? packVector(q.vector) : null, q.at.getTime()],
    );
  }

  async recordVote(v: VoteRecord): Promise<boolean> {
    const { changes } = await this.db.run(
      'INSERT INTO votes (answer_id, user_id, vote, reason, question, paragraphs, at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (answer_id, user_id) DO NOTHING',
      [v.answerId, v.userId, v.vote, v.reason ?? null, v.question.slice(0, 500), JSON.stringify(v.paragraphs), v.at.getTime()],
    );
    return changes === 1;
  }

  async recordPick(p: PickRecord): Promise<'new' | 'changed' | 'same'> {
    // Two statements, each atomic: a first pick inserts; a later one updates only when it names another unit.
    const inserted = await this.db.run(
      'INSERT INTO picks (answer_id, user_id, question, paragraph, unit_start, unit_end, at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (answer_id, user_id) DO NOTHING',
      [p.answerId, p.userId, p.question.slice(0, 500), p.paragraph, p.start, p.end, p.at.getTime()],
    );
    if (inserted.changes === 1) return 'new';
    const updated = await this.db.run('UPDATE picks SET paragraph = ?, unit_start = ?, unit_end = ?, at = ? WHERE answer_id = ? AND user_id = ? AND (unit_start <> ? OR unit_end <> ?)', [
      p.paragraph,
      p.start,
      p.end,
      p.at.getTime(),
      p.answerId,
      p.userId,
      p.start,
      p.end,
    ]);
    return updated.changes === 1 ? 'changed' : 'same';
  }

  async hasAnswer(answerId: string): Promise<boolean> {
    return (await this.db.all('SELECT 1 AS found FROM questions WHERE id = ?', [answerId])).length > 0;
  }

  async pickAgreement(guildId: string, question: string, start: number, end: number): Promise<number> {
    const rows = await this.db.all(
      'SELECT p.user_id, p.question FROM picks p JOIN questions q ON q.id = p.answer_id WHERE p.unit_start = ? AND p.unit_end = ? AND q.guild_id = ?',
      [start, end, guildId],
    );
    const key = questionKey(question);
    return new Set(rows.filter((r) => questionKey(String(r.question)) === key).map((r) => String(r.user_id))).size;
  }

  async teach(t: TaughtRecord): Promise<{ id: string; replaced: boolean }> {
    const key = questionKey(t.question);
    const values = [
      t.question.slice(0, 500),
      t.vector ? packVector(t.vector) : null,
      t.embeddingModel,
      t.articleSha,
      JSON.stringify(t.units.map(({ paragraph, start, end, quote }) => ({ paragraph, start, end, quote }))),
      t.refuse ? 1 : 0,
      t.how,
      t.by ?? null,
      t.channelId ?? null,
      t.at.getTime(),
    ];
    // The same question taught again in the same scope replaces the earlier answer, keeping its id.
    const updated = await this.db.run(
      'UPDATE taught SET question = ?, vector = ?, embedding_model = ?, article_sha = ?, units = ?, refuse = ?, how = ?, taught_by = ?, channel_id = ?, at = ? WHERE scope = ? AND question_key = ?',
      [...values, t.scope, key],
    );
    if (updated.changes > 0) {
      const [row] = await this.db.all('SELECT id FROM taught WHERE scope = ? AND question_key = ?', [t.scope, key]);
      return { id: String(row!.id), replaced: true };
    }
    const id = t.id || randomBytes(4).toString('hex');
    const inserted = await this.db.run(
      'INSERT INTO taught (question, vector, embedding_model, article_sha, units, refuse, how, taught_by, channel_id, at, scope, question_key, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (scope, question_key) DO NOTHING',
      [...values, t.scope, key, id],
    );
    // Another process taught the same question at the same moment: this one replaces it.
    if (inserted.changes === 0) return this.teach(t);
    return { id, replaced: false };
  }

  async taught(scope?: string): Promise<TaughtRecord[]> {
    const rows = scope === undefined ? await this.db.all('SELECT * FROM taught ORDER BY at DESC, id') : await this.db.all('SELECT * FROM taught WHERE scope = ? ORDER BY at DESC, id', [scope]);
    return rows.map(taughtOf);
  }

  async taughtSummary(): Promise<{ count: number; latest: number }> {
    const [row] = await this.db.all('SELECT COUNT(*) AS n, COALESCE(MAX(at), 0) AS latest FROM taught');
    return { count: Number(row?.n ?? 0), latest: Number(row?.latest ?? 0) };
  }

  async taughtVersions(): Promise<{ id: string; at: number }[]> {
    return (await this.db.all('SELECT id, at FROM taught')).map((r) => ({ id: String(r.id), at: Number(r.at) }));
  }

  async taughtByIds(ids: readonly string[]): Promise<TaughtRecord[]> {
    const out: TaughtRecord[] = [];
    // In slices, so a statement never has more parameters than a database takes.
    for (let i = 0; i < ids.length; i += 500) {
      const slice = ids.slice(i, i + 500);
      out.push(...(await this.db.all(`SELECT * FROM taught WHERE id IN (${slice.map(() => '?').join(', ')})`, slice)).map(taughtOf));
    }
    return out;
  }

  async forgetTaught(id: string, scope?: string): Promise<boolean> {
    const { changes } = scope === undefined ? await this.db.run('DELETE FROM taught WHERE id = ?', [id]) : await this.db.run('DELETE FROM taught WHERE id = ? AND scope = ?', [id, scope]);
    return changes > 0;
  }

  async setVoteReason(answerId: string, userId: string, reason: VoteReason): Promise<boolean> {
    if (!VOTE_REASONS.includes(reason)) return false;
    const { changes } = await this.db.run('UPDATE votes SET reason = ? WHERE answer_id = ? AND user_id = ?', [reason, answerId, userId]);
    return changes === 1;
  }

  async flagged(since: Date, lowConfidence: number): Promise<FlaggedQuestion[]> {
    const rows = await this.db.all(
      `SELECT q.id, q.question, q.answered, q.confidence, q.paragraphs, q.vector, q.at, COALESCE(d.down, 0) AS down
       FROM questions q
       LEFT JOIN (SELECT answer_id, COUNT(*) AS down FROM votes WHERE vote = 'down' AND at >= ? GROUP BY answer_id) d ON d.answer_id = q.id
       WHERE q.at >= ? AND (q.answered = 0 OR q.confidence < ? OR d.down > 0)
       ORDER BY q.at DESC`,
      [since.getTime(), since.getTime(), lowConfidence],
    );
    return rows.map((r) => ({
      id: String(r.id),
      question: String(r.question),
      answered: Number(r.answered) === 1,
      confidence: Number(r.confidence),
      paragraphs: JSON.parse(String(r.paragraphs)) as number[],
      packed: (r.vector as Uint8Array | null) ?? undefined,
      downVotes: Number(r.down),
      at: new Date(Number(r.at)),
    }));
  }

  async stats(since: Date, top = 5): Promise<StoreStats> {
    const t = since.getTime();
    const [q] = await this.db.all('SELECT COUNT(*) AS asked, COALESCE(SUM(answered), 0) AS answered FROM questions WHERE at >= ?', [t]);
    const votes = await this.db.all('SELECT vote, reason, COUNT(*) AS n FROM votes WHERE at >= ? GROUP BY vote, reason', [t]);
    const [picked] = await this.db.all('SELECT COUNT(*) AS n FROM picks WHERE at >= ?', [t]);
    const reasons = Object.fromEntries([...VOTE_REASONS, 'none'].map((r) => [r, 0])) as StoreStats['reasons'];
    let up = 0;
    let down = 0;
    for (const v of votes) {
      const n = Number(v.n);
      if (v.vote === 'up') up += n;
      else {
        down += n;
        const reason = (v.reason as VoteReason | null) ?? 'none';
        reasons[reason in reasons ? reason : 'none'] += n;
      }
    }
    const cited = new Map<number, number>();
    for (const r of await this.db.all('SELECT paragraphs FROM questions WHERE at >= ? AND answered = 1', [t])) {
      for (const p of JSON.parse(String(r.paragraphs)) as number[]) cited.set(p, (cited.get(p) ?? 0) + 1);
    }
    const asked = Number(q?.asked ?? 0);
    const answered = Number(q?.answered ?? 0);
    return {
      asked,
      answered,
      refused: asked - answered,
      votesUp: up,
      votesDown: down,
      reasons,
      picks: Number(picked?.n ?? 0),
      topParagraphs: [...cited].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, top).map(([paragraph, citations]) => ({ paragraph, citations })),
    };
  }

  async turns(conversationId: string): Promise<Turn[]> {
    const [row] = await this.db.all('SELECT turns, updated_at FROM conversations WHERE id = ?', [conversationId]);
    if (!row || Date.now() - Number(row.updated_at) > CONVERSATION_TTL_MS) return [];
    return JSON.parse(String(row.turns)) as Turn[];
  }

  async saveTurns(conversationId: string, turns: readonly Turn[]): Promise<void> {
    const kept = JSON.stringify(turns.slice(-CONVERSATION_TURNS));
    await this.db.run('INSERT INTO conversations (id, turns, updated_at) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET turns = excluded.turns, updated_at = excluded.updated_at', [
      conversationId,
      kept,
      Date.now(),
    ]);
  }

  async sweep(before: Date): Promise<number> {
    const t = before.getTime();
    let n = 0;
    n += (await this.db.run('DELETE FROM questions WHERE at < ?', [t])).changes;
    n += (await this.db.run('DELETE FROM votes WHERE at < ?', [t])).changes;
    n += (await this.db.run('DELETE FROM picks WHERE at < ?', [t])).changes;
    n += (await this.db.run('DELETE FROM conversations WHERE updated_at < ?', [Math.min(t, Date.now() - CONVERSATION_TTL_MS)])).changes;
    return n;
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

function taughtOf(r: Row): TaughtRecord {
  const how = String(r.how) as TeachHow;
  return {
    id: String(r.id),
    scope: String(r.scope),
    question: String(r.question),
    vector: unpackVector(r.vector as Uint8Array | null),
    embeddingModel: String(r.embedding_model),
    articleSha: String(r.article_sha),
    units: JSON.parse(String(r.units)) as TaughtUnit[],
    refuse: Number(r.refuse) === 1,
    how: TEACH_HOWS.includes(how) ? how : 'import',
    by: r.taught_by === null || r.taught_by === undefined ? null : String(r.taught_by),
    channelId: r.channel_id === null || r.channel_id === undefined ? null : String(r.channel_id),
    at: new Date(Number(r.at)),
  };
}

async function apply(db: Db, m: Migration): Promise<void> {
  for (const s of m.statements) await db.run(dialect(s, db.kind));
  await db.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [m.version, m.name, Date.now()]);
}
