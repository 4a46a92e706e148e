import { sql, type Kysely } from 'kysely';
import type { HousekeepingLock } from '../../application/housekeeping/housekeeping-lock.js';
import type { Database } from './database.js';
import { withTranslatedErrors } from './database-errors.js';

/** Names the housekeeping lock among the application's advisory locks; the migrator's has a key of its own. */
export const HOUSEKEEPING_LOCK_KEY = 7_301_402_211;

/**
 * One housekeeping round at a time across every instance on one PostgreSQL: a session-level advisory lock, taken
 * with `pg_try_advisory_lock` on a connection pinned for the round (the others return at once). The batches run on
 * the pool as usual; the lock ends with its connection, should the process die mid-round.
 */
export class PostgresHousekeepingLock implements HousekeepingLock {
  constructor(private readonly db: Kysely<Database>) {}

  async runExclusive<T>(work: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
    return withTranslatedErrors(
      this.db.connection().execute(async (conn) => {
        const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_lock(${HOUSEKEEPING_LOCK_KEY}) as locked`.execute(conn);
        if (!rows[0]?.locked) return { ran: false as const };
        try {
          return { ran: true as const, value: await work() };
        } finally {
          await sql`select pg_advisory_unlock(${HOUSEKEEPING_LOCK_KEY})`.execute(conn);
        }
      }),
    );
  }
}
