/** SQLite through better-sqlite3: one file, WAL mode, a busy timeout so that processes of one machine take turns. */
import Database from 'better-sqlite3';
import type { Db, Row } from './sql-store.js';

/** `readOnly`: an existing file, opened for reading only (the CLI reading taught answers). */
export function sqliteDb(path: string, { readOnly = false } = {}): Db {
  const db = new Database(path, readOnly ? { readonly: true, fileMustExist: true } : {});
  try {
    db.pragma('busy_timeout = 5000');
    if (!readOnly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
  } catch (err) {
    db.close();
    throw err;
  }
  const statements = new Map<string, Database.Statement>();
  const prepare = (sql: string) => {
    let s = statements.get(sql);
    if (!s) statements.set(sql, (s = db.prepare(sql)));
    return s;
  };
  const self: Db = {
    kind: 'sqlite',
    async run(sql, params = []) {
      // DDL is run once, unprepared-cached (a schema change invalidates cached statements anyway).
      if (/^\s*(CREATE|ALTER|DROP)\b/i.test(sql)) {
        db.exec(sql);
        statements.clear();
        return { changes: 0 };
      }
      return { changes: prepare(sql).run(...params).changes };
    },
    async all(sql, params = []) {
      return prepare(sql).all(...params) as Row[];
    },
    async migrationTransaction(fn) {
      // BEGIN IMMEDIATE takes the write lock at once: a second process migrating waits, then sees the row.
      db.exec('BEGIN IMMEDIATE');
      try {
        await fn(self);
        db.exec('COMMIT');
      } catch (err) {
        db.exec('ROLLBACK');
        throw err;
      }
    },
    async close() {
      db.close();
    },
  };
  return self;
}
