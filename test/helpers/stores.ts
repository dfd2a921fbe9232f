/**
 * The databases the store's contract runs against: SQLite always, PostgreSQL when TEST_DATABASE_URL names
 * a server (`.ci/run` starts one). Locally a missing server skips those tests with one line; under CI it
 * fails them, so CI can't pass with PostgreSQL untested.
 */
import { join } from 'node:path';
import pg from 'pg';
import { postgresDb } from '../../src/store/postgres.js';
import type { Db } from '../../src/store/sql-store.js';
import { sqliteDb } from '../../src/store/sqlite.js';
import { tempDir } from './fixtures.js';

export const PG_URL = process.env.TEST_DATABASE_URL;

if (!PG_URL && process.env.CI !== 'true') process.stderr.write('PostgreSQL store tests skipped: set TEST_DATABASE_URL to a server to run them.\n');

export interface TestDatabase {
  name: string;
  /** A fresh, empty database each call; `url`/`path` open it again (a second process, a restart). */
  fresh(): Promise<{ db: Db; reopen(): Db; url?: string; path?: string }>;
}

let schemas = 0;

export const DATABASES: TestDatabase[] = [
  {
    name: 'sqlite',
    async fresh() {
      const path = join(tempDir('store-'), 'footnote.sqlite');
      return { db: sqliteDb(path), reopen: () => sqliteDb(path), path };
    },
  },
  {
    name: 'postgres',
    async fresh() {
      if (!PG_URL) throw new Error('TEST_DATABASE_URL is not set: PostgreSQL store tests need a server (CI starts one).');
      // A schema of its own per test: search_path in the URL keeps every connection in it.
      const schema = `t${process.pid}_${Date.now()}_${++schemas}`;
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`CREATE SCHEMA ${schema}`);
      await admin.end();
      const url = withSearchPath(PG_URL, schema);
      return { db: postgresDb(url), reopen: () => postgresDb(url), url };
    },
  },
];

export function withSearchPath(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

/** Whether the PostgreSQL tests run here (otherwise skipped locally; CI fails instead, see above). */
export const runPostgres = Boolean(PG_URL) || process.env.CI === 'true';
