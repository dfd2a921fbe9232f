/**
 * Opening the store at start-up: SQLite under DATA_DIR, or PostgreSQL when DATABASE_URL is set; migrated
 * to the newest schema. A database that can't be opened, migrated or written stops start-up with one
 * line naming DATA_DIR or DATABASE_URL (never the password) and exit 78.
 */
import { existsSync } from 'node:fs';
import { access, constants, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '../config.js';
import { postgresDb } from './postgres.js';
import { SqlStore } from './sql-store.js';
import { sqliteDb } from './sqlite.js';
import type { Store, TaughtRecord } from './store.js';

export const SQLITE_FILE = 'footnote.sqlite';

/** A database URL with its password replaced by ***, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(an unparsable URL)';
  }
}

export async function openStore(opts: { dataDir: string; databaseUrl?: string }): Promise<Store> {
  if (opts.databaseUrl) {
    const shown = redactUrl(opts.databaseUrl);
    const db = postgresDb(opts.databaseUrl);
    try {
      const store = await SqlStore.open(db);
      // A read-only server (a replica, a read-only role) answers reads: check that it takes a write.
      await store.sweep(new Date(0));
      return store;
    } catch (err) {
      await db.close().catch(() => {});
      throw new ConfigError(`DATABASE_URL ${shown} can't be used: ${reason(err, opts.databaseUrl)}.`);
    }
  }
  try {
    await mkdir(opts.dataDir, { recursive: true });
    await access(opts.dataDir, constants.W_OK);
  } catch (err) {
    throw new ConfigError(`DATA_DIR must be a writable folder: ${opts.dataDir} can't be written (${(err as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  const path = join(opts.dataDir, SQLITE_FILE);
  let db;
  try {
    db = sqliteDb(path);
    const store = await SqlStore.open(db);
    await store.sweep(new Date(0));
    return store;
  } catch (err) {
    await db?.close().catch(() => {});
    throw new ConfigError(`DATA_DIR: the database ${path} can't be used (${reason(err)}): give a writable DATA_DIR, or set DATABASE_URL.`);
  }
}

/** The first line of an error, with any password of `url` taken out. */
function reason(err: unknown, url?: string): string {
  let text = ((err as Error)?.message ?? String(err)).split('\n')[0]!;
  const password = url ? safePassword(url) : undefined;
  if (password) text = text.split(password).join('***');
  const code = (err as { code?: string }).code;
  return code && !text.includes(code) ? `${text} (${code})` : text;
}

function safePassword(url: string): string | undefined {
  try {
    const p = decodeURIComponent(new URL(url).password);
    return p.length >= 3 ? p : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The taught answers of the store, read only (the CLI's `ask`): nothing is created, migrated or written.
 * A missing database file, or one from before taught answers, holds none. A server that can't be
 * reached throws (the caller says so in one line and answers untaught).
 */
export async function readTaughtAnswers(opts: { dataDir: string; databaseUrl?: string }): Promise<TaughtRecord[]> {
  const path = join(opts.dataDir, SQLITE_FILE);
  if (!opts.databaseUrl && !existsSync(path)) return [];
  const db = opts.databaseUrl ? postgresDb(opts.databaseUrl) : sqliteDb(path, { readOnly: true });
  try {
    const tables = await db.all(
      db.kind === 'sqlite' ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'taught'" : "SELECT table_name FROM information_schema.tables WHERE table_name = 'taught' AND table_schema = ANY (current_schemas(false))",
    );
    if (tables.length === 0) return [];
    return await SqlStore.attach(db).taught();
  } catch (err) {
    throw new ConfigError(`${opts.databaseUrl ? `DATABASE_URL ${redactUrl(opts.databaseUrl)}` : `DATA_DIR: the database ${path}`} can't be read for taught answers: ${reason(err, opts.databaseUrl)}.`);
  } finally {
    await db.close().catch(() => {});
  }
}
