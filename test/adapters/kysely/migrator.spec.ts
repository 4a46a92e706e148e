import { expect } from 'chai';
import {
  CompiledQuery,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  sql,
  type DatabaseConnection,
  type Driver,
} from 'kysely';
import type { Database } from '../../../adapters/kysely/database.js';
import type { DatabaseHandle } from '../../../adapters/kysely/database-handle.js';
import { KyselyUserRepository } from '../../../adapters/kysely/kysely-user-repository.js';
import { migrations } from '../../../adapters/kysely/migrations/index.js';
import { migrateDown, migrateToLatest, migrationStatus } from '../../../adapters/kysely/migrator.js';
import { createPgliteDatabase } from '../../../adapters/kysely/pglite-database.js';
import { Email, Username } from '../../../domain/index.js';
import { PGLITE_OPEN_TIMEOUT_MS } from '../../support/pglite-timeout.js';

/** Passes queries on to the real database and keeps what it was asked, to inspect their plans. */
class SpyingDriver implements Driver {
  constructor(
    private readonly target: DatabaseHandle,
    private readonly seen: CompiledQuery[],
  ) {}

  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return {
      executeQuery: async <R>(query: CompiledQuery) => {
        this.seen.push(query);
        return this.target.db.executeQuery<R>(query);
      },
      streamQuery: () => {
        throw new Error('not used by the repository');
      },
    };
  }
  async beginTransaction(): Promise<void> {}
  async commitTransaction(): Promise<void> {}
  async rollbackTransaction(): Promise<void> {}
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {}
}

const CREATE_USERS = '20261124100000_create_users';
/** Every migration, in the order they apply: their names sort by timestamp. */
const ALL = Object.keys(migrations).sort();

async function tableExists(handle: DatabaseHandle, name: string): Promise<boolean> {
  const { rows } = await sql<{ found: string | null }>`select to_regclass(${name})::text as found`.execute(handle.db);
  return rows[0]?.found != null;
}

async function indexNames(handle: DatabaseHandle): Promise<string[]> {
  const { rows } = await sql<{ indexname: string }>`
    select indexname from pg_indexes where tablename = 'users' order by indexname`.execute(handle.db);
  return rows.map((row) => row.indexname);
}

describe('migrator', function () {
  let handle: DatabaseHandle;

  // One engine for the suite, emptied before each test: opening PGlite takes seconds on a busy machine, an empty
  // schema a few milliseconds. Kysely keeps its migration tables in `public` too, so they go with it.
  before(async function () {
    this.timeout(PGLITE_OPEN_TIMEOUT_MS);
    handle = await createPgliteDatabase();
  });

  beforeEach(async function () {
    await sql`drop schema public cascade`.execute(handle.db);
    await sql`create schema public`.execute(handle.db);
  });

  after(async function () {
    await handle?.close();
  });

  it('lists the migrations as pending on an empty database', async function () {
    expect(await migrationStatus(handle.db)).to.deep.equal(ALL.map((name) => ({ name, executedAt: undefined })));
  });

  it('applies the migrations once; running latest again does nothing', async function () {
    expect(await migrateToLatest(handle.db)).to.deep.equal(ALL);
    expect(await migrateToLatest(handle.db)).to.deep.equal([]);

    const [status] = await migrationStatus(handle.db);
    expect(status?.name).to.equal(CREATE_USERS);
    expect(status?.executedAt).to.be.instanceOf(Date);
  });

  it('indexes every lookup the repository makes', async function () {
    await migrateToLatest(handle.db);

    expect(await indexNames(handle)).to.deep.equal([
      'users_email_key',
      'users_email_prefix_idx',
      'users_pkey',
      'users_username_lower_key',
      'users_username_prefix_idx',
    ]);
  });

  it('serves every repository lookup from an index', async function () {
    await migrateToLatest(handle.db);
    const lookups: CompiledQuery[] = [];
    const spying = new Kysely<Database>({
      dialect: {
        createAdapter: () => new PostgresAdapter(),
        createDriver: () => new SpyingDriver(handle, lookups),
        createIntrospector: (db) => new PostgresIntrospector(db),
        createQueryCompiler: () => new PostgresQueryCompiler(),
      },
    });
    const repository = new KyselyUserRepository(spying);
    await repository.findById('0193b6c2-0000-7000-8000-000000000000');
    await repository.findByEmail(Email.parse('someone@example.com'));
    await repository.findByUsername(Username.parse('Someone'));

    expect(lookups).to.have.length(3);
    // A table this small is cheaper to scan; forbidding scans shows whether an index could serve the query.
    await sql`set enable_seqscan = off`.execute(handle.db);
    for (const lookup of lookups) {
      const plan = await handle.db.executeQuery<{ 'QUERY PLAN': string }>(
        CompiledQuery.raw(`explain ${lookup.sql}`, [...lookup.parameters]),
      );
      expect(plan.rows.map((row) => row['QUERY PLAN']).join('\n')).to.match(/Index (Only )?Scan/, lookup.sql);
    }
  });

  it('reverts one migration with each down, and applies them again with latest', async function () {
    await migrateToLatest(handle.db);

    for (const name of [...ALL].reverse()) {
      if (name === CREATE_USERS) expect(await tableExists(handle, 'sessions')).to.equal(false);
      expect(await tableExists(handle, 'users')).to.equal(true);
      expect(await migrateDown(handle.db)).to.deep.equal([name]);
    }
    expect(await tableExists(handle, 'users')).to.equal(false);
    expect((await migrationStatus(handle.db))[0]?.executedAt).to.equal(undefined);

    expect(await migrateToLatest(handle.db)).to.deep.equal(ALL);
    expect(await tableExists(handle, 'users')).to.equal(true);
    expect(await tableExists(handle, 'sessions')).to.equal(true);
    expect(await tableExists(handle, 'mail_outbox')).to.equal(true);
  });

  it('refuses rows the domain could never produce', async function () {
    await migrateToLatest(handle.db);
    const row = {
      id: '0193b6c2-0000-7000-8000-000000000000',
      hashed_password: 'hash',
    };

    for (const [email, username] of [
      [`${'a'.repeat(250)}@x.io`, 'valid_name'],
      ['short@example.com', 'ab'],
      ['long@example.com', 'a'.repeat(51)],
    ]) {
      const error = await handle.db
        .insertInto('users')
        .values({ ...row, email: email!, username: username! })
        .execute()
        .then(
          () => undefined,
          (caught: unknown) => caught,
        );
      // 23514: check_violation.
      expect(error).to.have.property('code', '23514');
    }
  });

  it('fails with the name of a migration that cannot run', async function () {
    await sql`create table users (id integer)`.execute(handle.db);

    const error = await migrateToLatest(handle.db).then(
      () => undefined,
      (caught: unknown) => caught,
    );

    expect(error).to.be.instanceOf(Error);
    expect((error as Error).message).to.contain(CREATE_USERS);
  });
});
