/** PostgreSQL through pg: a small pool; `?` placeholders become `$n`. */
import pg from 'pg';
import type { Db, Row } from './sql-store.js';

/** Same as in the migrations: one lock id for "this database is being migrated". */
const MIGRATION_LOCK = 4_201_337;

export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** `run` and `all` over anything that takes queries: the pool, or one client inside a transaction. */
function statements(target: pg.Pool | pg.PoolClient): Pick<Db, 'run' | 'all'> {
  return {
    run: async (sql, params = []) => ({ changes: (await target.query(numbered(sql), params)).rowCount ?? 0 }),
    all: async (sql, params = []) => (await target.query(numbered(sql), params)).rows as Row[],
  };
}

export function postgresDb(url: string): Db {
  const pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 5000 });
  // An idle client's error (the server restarting) must not crash the bot; the next query reconnects.
  pool.on('error', () => {});
  return {
    kind: 'postgres',
    ...statements(pool),
    async migrationTransaction(fn) {
      const client = await pool.connect();
      // Every statement of `fn` runs on this client, inside the transaction.
      const inner: Db = {
        kind: 'postgres',
        ...statements(client),
        migrationTransaction: () => Promise.reject(new Error('nested migration')),
        close: async () => {},
      };
      try {
        await client.query('BEGIN');
        await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
        await fn(inner);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}
