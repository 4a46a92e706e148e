import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from './database.js';
import type { DatabaseHandle } from './database-handle.js';

export interface PostgresDatabaseOptions {
  /** A `postgres://` connection string. */
  readonly url: string;
  /** Connections kept open at most; requests beyond it wait for a free one. Default 10. */
  readonly poolMax?: number;
  /** The server cancels any statement running longer, so a stuck query cannot hold a connection forever. Default 5000. */
  readonly statementTimeoutMs?: number;
  /** How long to wait for a new connection before failing. Default 5000. */
  readonly connectionTimeoutMs?: number;
  /**
   * Called when an idle pooled connection dies (the server restarted, a network blip). pg emits these as
   * `error` events on the pool; unheard, Node would crash the process. The pool replaces the connection itself.
   */
  readonly onPoolError: (error: Error) => void;
}

export function createPostgresDatabase(options: PostgresDatabaseOptions): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolMax ?? 10,
    // Sent as a startup parameter, so it holds for every connection the pool opens, with no extra round trip.
    statement_timeout: options.statementTimeoutMs ?? 5_000,
    // pg waits forever by default: a database that is down would hang requests instead of failing them.
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5_000,
  });
  pool.on('error', options.onPoolError);
  // pg-pool listens for errors only on idle clients. A connection lost while a query runs fails that query
  // (which becomes a 503) and is then emitted as an `error` event on the checked-out client; unheard, it would
  // crash the process. The query's failure already reports it, so the event needs only a listener.
  pool.on('connect', (client) => client.on('error', ignoreCheckedOutError));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    async ping() {
      await sql`select 1`.execute(db);
    },
    poolStats() {
      return { inUse: pool.totalCount - pool.idleCount, waiting: pool.waitingCount };
    },
    async close() {
      await db.destroy();
    },
  };
}

function ignoreCheckedOutError(): void {}
