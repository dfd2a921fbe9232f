/**
 * Versioned schema migrations, run in order at start-up by both databases. Each runs once, in a
 * transaction, and is recorded in `schema_migrations`. Never edit a migration that has shipped: add one.
 * Statements are written once; `dialect` maps the few types that differ.
 */
export interface Migration {
  version: number;
  name: string;
  statements: string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'questions and votes',
    statements: [
      `CREATE TABLE questions (
        id TEXT PRIMARY KEY,
        guild_id TEXT,
        channel_id TEXT,
        question TEXT NOT NULL,
        answered INTEGER NOT NULL,
        confidence REAL NOT NULL,
        paragraphs TEXT NOT NULL,
        vector BLOB,
        at BIGINT NOT NULL
      )`,
      'CREATE INDEX questions_at ON questions (at)',
      `CREATE TABLE votes (
        answer_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        vote TEXT NOT NULL,
        reason TEXT,
        question TEXT NOT NULL,
        paragraphs TEXT NOT NULL,
        at BIGINT NOT NULL,
        PRIMARY KEY (answer_id, user_id)
      )`,
      'CREATE INDEX votes_at ON votes (at)',
    ],
  },
  {
    version: 2,
    name: 'conversation turns',
    statements: [
      `CREATE TABLE conversations (
        id TEXT PRIMARY KEY,
        turns TEXT NOT NULL,
        updated_at BIGINT NOT NULL
      )`,
      'CREATE INDEX conversations_updated_at ON conversations (updated_at)',
    ],
  },
  {
    version: 3,
    name: 'picks in the likely band',
    statements: [
      `CREATE TABLE picks (
        answer_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        question TEXT NOT NULL,
        paragraph INTEGER NOT NULL,
        unit_start INTEGER NOT NULL,
        unit_end INTEGER NOT NULL,
        at BIGINT NOT NULL,
        PRIMARY KEY (answer_id, user_id)
      )`,
      'CREATE INDEX picks_at ON picks (at)',
    ],
  },
  {
    version: 4,
    name: 'taught answers',
    statements: [
      // scope: the server it was taught in, or '' for everywhere (an import). units: JSON [{paragraph, start, end, quote}].
      `CREATE TABLE taught (
        id TEXT PRIMARY KEY,
        scope TEXT NOT NULL,
        question_key TEXT NOT NULL,
        question TEXT NOT NULL,
        vector BLOB,
        embedding_model TEXT NOT NULL,
        article_sha TEXT NOT NULL,
        units TEXT NOT NULL,
        refuse INTEGER NOT NULL,
        how TEXT NOT NULL,
        taught_by TEXT,
        channel_id TEXT,
        at BIGINT NOT NULL,
        UNIQUE (scope, question_key)
      )`,
      'CREATE INDEX taught_at ON taught (at)',
    ],
  },
];

export const SCHEMA_VERSION = MIGRATIONS.at(-1)!.version;

export function dialect(sql: string, kind: 'sqlite' | 'postgres'): string {
  if (kind === 'sqlite') return sql;
  return sql.replace(/\bBLOB\b/g, 'BYTEA').replace(/\bREAL\b/g, 'DOUBLE PRECISION');
}
