import { Kysely, PostgresDialect, type CompiledQuery } from 'kysely';
import pg from 'pg';
import type { Database } from '../../adapters/kysely/database.js';

export interface RecordingKysely {
  readonly db: Kysely<Database>;
  readonly pool: pg.Pool;
  /** Every statement sent through `db`, as sent: what a plan test EXPLAINs. */
  readonly sent: CompiledQuery[];
}

/** A Kysely on PostgreSQL that records the statements it sends, so a test checks the repository's real SQL. */
export function recordingKysely(url: string, max: number): RecordingKysely {
  const pool = new pg.Pool({ connectionString: url, max });
  const sent: CompiledQuery[] = [];
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    log: (event) => {
      if (event.level === 'query') sent.push(event.query);
    },
  });
  return { db, pool, sent };
}
