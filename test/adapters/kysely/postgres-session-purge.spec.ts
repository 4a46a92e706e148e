import { expect } from 'chai';
import { sql, type CompiledQuery, type Kysely } from 'kysely';
import type pg from 'pg';
import type { Database } from '../../../adapters/kysely/database.js';
import { KyselySessionRepository } from '../../../adapters/kysely/kysely-session-repository.js';
import { migrateToLatest } from '../../../adapters/kysely/migrator.js';
import { recordingKysely } from '../../support/recording-kysely.js';
import { scratchDatabaseOrSkip, type ScratchDatabase } from '../../support/scratch-postgres.js';

const USER_ID = '01900000-0000-7000-8000-000000000001';
/** Enough rows that a sequential scan costs the planner far more than an index would. */
const ROWS = 200_000;
const NOW = new Date('2026-11-25T10:00:00.000Z');

/** The purge's statements on a large table: how they are planned, how they are cut, and who may run them. */
describe('KyselySessionRepository.purgeEnded on a large PostgreSQL table', function () {
  this.timeout(120_000);
  let scratch: ScratchDatabase | undefined;
  let pool: pg.Pool;
  let db: Kysely<Database>;
  /** Every statement the repository sends, as sent. */
  let sent: CompiledQuery[];

  before(async function () {
    scratch = await scratchDatabaseOrSkip(this);
    ({ db, pool, sent } = recordingKysely(scratch.url, 4));
    await migrateToLatest(db);
    await sql`insert into users (id, email, username, hashed_password) values (${USER_ID}, 'purge@example.com', 'purge', 'h')`.execute(db);
    // Live sessions, each with a current refresh token: what a busy table holds with nothing due.
    await sql`
      insert into sessions (id, user_id, token_version, expires_at)
      select gen_random_uuid(), ${USER_ID}, 0, ${NOW}::timestamptz + interval '14 days' from generate_series(1, ${ROWS})
    `.execute(db);
    await sql`
      insert into refresh_tokens (token_hash, session_id)
      select md5(id::text) || md5(id::text || 'x'), id from sessions
    `.execute(db);
    await sql`analyze sessions, refresh_tokens`.execute(db);
  });

  after(async function () {
    await db?.destroy();
    await scratch?.drop();
  });

  beforeEach(() => {
    sent.length = 0;
  });

  it('finds what is due through indexes, reading neither table whole', async function () {
    const repository = new KyselySessionRepository(db);
    expect(await repository.purgeEnded(NOW)).to.equal(0);

    const deletes = sent.filter((query) => /^delete/i.test(query.sql));
    expect(deletes.map((query) => query.sql.match(/^delete from "(\w+)"/i)?.[1])).to.have.members(['sessions', 'refresh_tokens']);
    for (const query of deletes) {
      const { rows } = await pool.query<{ 'QUERY PLAN': string }>(`explain ${query.sql}`, [...query.parameters]);
      const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
      expect(plan, plan).not.to.match(/Seq Scan/);
    }
  });

  it('deletes a backlog in statements of one batch each', async function () {
    const backlog = await sql<{ id: string }>`
      update sessions set revoked_at = ${new Date(NOW.getTime() - 60_000)}
      where id in (select id from sessions limit 25) returning id
    `.execute(db);
    expect(backlog.rows).to.have.lengthOf(25);

    expect(await new KyselySessionRepository(db, { purgeBatchSize: 10 }).purgeEnded(NOW)).to.equal(25);
    // 10, 10, 5: the short one says the backlog is done.
    expect(sent.filter((query) => /^delete from "sessions"/i.test(query.sql))).to.have.lengthOf(3);
    const { rows } = await sql<{ left: number }>`select count(*)::int as left from sessions where revoked_at is not null`.execute(db);
    expect(rows[0]!.left).to.equal(0);
  });

  it('leaves the work to the instance already purging, and does it once that one is done', async function () {
    await sql`update sessions set revoked_at = ${new Date(NOW.getTime() - 60_000)} where id in (select id from sessions limit 3)`.execute(db);
    const repository = new KyselySessionRepository(db);
    // Another instance's purge, as the server sees it: a session holding the lock.
    const other = await pool.connect();
    try {
      await repository.purgeEnded(new Date(0));
      const key = sent.map((query) => query.sql.match(/pg_try_advisory_lock\(\$1\)/) && query.parameters[0]).find((value) => value != null);
      expect(key, 'the purge takes an advisory lock').not.to.equal(undefined);
      await other.query('select pg_advisory_lock($1)', [key]);

      expect(await repository.purgeEnded(NOW)).to.equal(0);
      const { rows: waiting } = await sql<{ count: number }>`select count(*)::int as count from sessions where revoked_at is not null`.execute(db);
      expect(waiting[0]!.count).to.equal(3);

      await other.query('select pg_advisory_unlock($1)', [key]);
      expect(await repository.purgeEnded(NOW)).to.equal(3);
    } finally {
      other.release();
    }
  });
});
