import { Kysely, PostgresDialect, sql, type PostgresPool, type PostgresPoolClient } from 'kysely';
import pg from 'pg';
import type { Database } from './database.js';
import type { DatabaseHandle } from './database-handle.js';
import { databaseBudget, DatabaseDeadlineExceeded } from './database-deadline.js';

export interface PostgresDatabaseOptions {
  /** A `postgres://` connection string. */
  readonly url: string;
  /** Connections kept open at most; requests beyond it wait for a free one. Default 10. */
  readonly poolMax?: number;
  /**
   * One request's time on the database in all (DATABASE_TIMEOUT_MS), which `withDatabaseDeadline` enforces in
   * this process. The same figure also goes to the pool and the server, as a second line that holds outside a
   * request (start-up, migrations, the purges) and should this process's own timers be late: the wait for a new
   * connection, `lock_timeout` (a statement waiting on a lock gives up), `idle_in_transaction_session_timeout` (a
   * transaction its client left open is rolled back) and, unless `statementTimeoutMs` says otherwise,
   * `statement_timeout`. Default 5000.
   */
  readonly timeoutMs?: number;
  /** The server cancels any statement running longer, so a stuck query cannot hold a connection forever. Default `timeoutMs`. */
  readonly statementTimeoutMs?: number;
  /**
   * Called when an idle pooled connection dies (the server restarted, a network blip). pg emits these as
   * `error` events on the pool; unheard, Node would crash the process. The pool replaces the connection itself.
   */
  readonly onPoolError: (error: Error) => void;
}

export function createPostgresDatabase(options: PostgresDatabaseOptions): DatabaseHandle {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolMax ?? 10,
    // Sent as startup parameters, so they hold for every connection the pool opens, with no extra round trip.
    statement_timeout: options.statementTimeoutMs ?? timeoutMs,
    lock_timeout: timeoutMs,
    idle_in_transaction_session_timeout: timeoutMs,
    // pg waits forever by default: a database that is down would hang requests instead of failing them.
    connectionTimeoutMillis: timeoutMs,
  });
  pool.on('error', options.onPoolError);
  // pg-pool listens for errors only on idle clients. A connection lost while a query runs fails that query
  // (which becomes a 503) and is then emitted as an `error` event on the checked-out client; unheard, it would
  // crash the process. The query's failure already reports it, so the event needs only a listener.
  pool.on('connect', (client) => client.on('error', ignoreCheckedOutError));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: withinDeadlines(pool) }) });
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

/**
 * The pool as Kysely sees it, with the current request's deadline (if any) bounding the wait for a connection
 * and each statement. A statement overtaken by the deadline still runs on the server (until its
 * statement_timeout, at worst). Its connection keeps its place in the pool until then, so that a locked table
 * cannot multiply the server's connections beyond `poolMax`, and is then discarded: handed to the next request,
 * that request would queue behind the statement, or inherit its open transaction.
 */
function withinDeadlines(pool: pg.Pool): PostgresPool {
  const bound = new WeakMap<pg.PoolClient, DeadlineBoundClient>();
  return {
    async connect() {
      const budget = databaseBudget();
      // Spent already (by the request's earlier queries): no point queueing for a connection.
      if (budget?.exhausted) throw new DatabaseDeadlineExceeded();
      const checkout = pool.connect();
      const client = budget ? await budget.bound(checkout, (late) => void late.then((c) => c.release(), ignore)) : await checkout;
      // One wrapper per pooled connection: Kysely keys its own per-connection state by this object.
      let wrapper = bound.get(client);
      if (!wrapper) bound.set(client, (wrapper = new DeadlineBoundClient(client)));
      wrapper.overtaken = false;
      return wrapper;
    },
    end: () => pool.end(),
  };
}

class DeadlineBoundClient implements PostgresPoolClient {
  overtaken = false;
  /** The overtaken statement, settling when the server is done with it. */
  #late: Promise<unknown> | undefined;

  constructor(private readonly client: pg.PoolClient) {}

  // Kysely passes a cursor only when configured with one, which this service is not: always text and parameters.
  readonly query = (async (sqlText: string, parameters: readonly unknown[]) => {
    // A transaction whose statement was overtaken gets no ROLLBACK: discarding the connection rolls it back.
    if (this.overtaken) throw new DatabaseDeadlineExceeded();
    const budget = databaseBudget();
    if (!budget) return this.client.query(sqlText, [...parameters]);
    if (budget.exhausted) {
      this.overtaken = true;
      throw new DatabaseDeadlineExceeded();
    }
    return budget.bound(this.client.query(sqlText, [...parameters]), (late) => {
      this.overtaken = true;
      this.#late = late.catch(ignore);
    });
  }) as unknown as PostgresPoolClient['query'];

  release(destroy?: boolean): void {
    const late = this.#late;
    this.#late = undefined;
    if (late) void late.then(() => this.client.release(true));
    else this.client.release(destroy || this.overtaken);
  }
}

function ignore(): void {}
