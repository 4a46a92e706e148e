import { expect } from 'chai';
import { sql, type CompiledQuery, type Kysely } from 'kysely';
import type pg from 'pg';
import { KyselyUserRepository } from '../../../adapters/kysely/kysely-user-repository.js';
import type { Database } from '../../../adapters/kysely/database.js';
import { migrateToLatest } from '../../../adapters/kysely/migrator.js';
import { recordingKysely } from '../../support/recording-kysely.js';
import { scratchDatabaseOrSkip, type ScratchDatabase } from '../../support/scratch-postgres.js';

const USERS = 100_000;

/**
 * The administrators' user list at scale: each page, the first and one deep in the list, with and without a
 * search, is one statement the planner answers from an index. The statements checked are the ones the
 * repository really sends, captured from Kysely's log.
 */
describe('The user list on PostgreSQL with 100,000 users', function () {
  let scratch: ScratchDatabase | undefined;
  let pool: pg.Pool;
  let db: Kysely<Database>;
  let sent: CompiledQuery[];

  before(async function () {
    scratch = await scratchDatabaseOrSkip(this);
    ({ db, pool, sent } = recordingKysely(scratch.url, 2));
    await migrateToLatest(db);
    // Ids as UUIDv7 would make them: time-ordered, one millisecond apart.
    await sql`
      insert into users (id, email, username, hashed_password, created_at, updated_at)
      select
        (lpad(to_hex(1700000000000 + n), 12, '0') || '7000' || lpad(to_hex(n), 16, '0'))::uuid,
        'user' || n || '@example.com', 'User_' || n, 'x', now(), now()
      from generate_series(1, ${USERS}) as n`.execute(db);
    await sql`analyze users`.execute(db);
  });

  after(async function () {
    await db?.destroy();
    await scratch?.drop();
  });

  async function planOf(run: (repository: KyselyUserRepository) => Promise<unknown>): Promise<string> {
    sent.length = 0;
    await run(new KyselyUserRepository(db));
    const statements = sent.filter((query) => /^select/i.test(query.sql));
    expect(statements, 'one statement a page').to.have.length(1);
    const { sql: text, parameters } = statements[0]!;
    const result = await pool.query<{ 'QUERY PLAN': string }>(`explain ${text}`, parameters as unknown[]);
    return result.rows.map((row) => row['QUERY PLAN']).join('\n');
  }

  it('serves the first page from the primary key', async function () {
    const plan = await planOf((repository) => repository.list({ limit: 21 }));
    expect(plan).to.not.match(/Seq Scan/);
    expect(plan).to.match(/Index Scan using users_pkey/);
  });

  it('serves a page deep in the list from the primary key', async function () {
    const [deep] = await new KyselyUserRepository(db).list({ limit: 1, after: '018bcfe5-a0c0-7000-0000-000000000000' });
    expect(deep).to.not.equal(undefined);
    const middle = (await pool.query<{ id: string }>('select id from users order by id offset 90000 limit 1')).rows[0]!.id;
    const plan = await planOf((repository) => repository.list({ limit: 21, after: middle }));
    expect(plan).to.not.match(/Seq Scan/);
    expect(plan).to.match(/Index Scan using users_pkey/);
  });

  it('serves a prefix search, on email or username, from the prefix indexes', async function () {
    const plan = await planOf((repository) => repository.list({ limit: 21, prefix: 'user4242' }));
    expect(plan).to.not.match(/Seq Scan/);
    expect(plan).to.match(/users_email_prefix_idx/);
    expect(plan).to.match(/users_username_prefix_idx/);
  });
});
