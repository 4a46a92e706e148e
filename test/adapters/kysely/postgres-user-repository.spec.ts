import { expect } from 'chai';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../../../adapters/kysely/database-handle.js';
import { DatabaseDeadlineExceeded, withDatabaseDeadline } from '../../../adapters/kysely/database-deadline.js';
import { KyselyUserRepository } from '../../../adapters/kysely/kysely-user-repository.js';
import { migrations } from '../../../adapters/kysely/migrations/index.js';
import { migrateToLatest, migrationStatus } from '../../../adapters/kysely/migrator.js';
import { createPostgresDatabase } from '../../../adapters/kysely/postgres-database.js';
import { KyselySessionRepository } from '../../../adapters/kysely/kysely-session-repository.js';
import { KyselyMfaChallengeStore } from '../../../adapters/kysely/kysely-mfa-challenge-store.js';
import { KyselyTotpFactorRepository } from '../../../adapters/kysely/kysely-totp-factor-repository.js';
import { mfaChallengeStoreContract } from '../../contract/mfa-challenge-store.contract.js';
import { sessionRepositoryContract } from '../../contract/session-repository.contract.js';
import { totpFactorRepositoryContract } from '../../contract/totp-factor-repository.contract.js';
import { userRepositoryContract } from '../../contract/user-repository.contract.js';
import { auditLogContract } from '../../contract/audit-log.contract.js';
import { KyselyAuditLog } from '../../../adapters/kysely/kysely-audit-log.js';
import { createScratchDatabase, scratchDatabaseOrSkip, type ScratchDatabase } from '../../support/scratch-postgres.js';

function quietDatabase(url: string, options: { statementTimeoutMs?: number; timeoutMs?: number } = {}): DatabaseHandle {
  return createPostgresDatabase({ url, ...options, onPoolError: () => {} });
}

describe('KyselyUserRepository on PostgreSQL', function () {
  let scratch: ScratchDatabase | undefined;
  let handle: DatabaseHandle;

  before(async function () {
    scratch = await scratchDatabaseOrSkip(this);
    // Another suite may restart the server under us; the pool recovers, so say so without failing the run.
    handle = createPostgresDatabase({
      url: scratch.url,
      onPoolError: (error) => console.warn(`  idle PostgreSQL connection lost: ${error.message}`),
    });
    await migrateToLatest(handle.db);
  });

  after(async function () {
    await handle?.close();
    await scratch?.drop();
  });

  userRepositoryContract('KyselyUserRepository (PostgreSQL)', async () => ({
    repository: new KyselyUserRepository(handle.db),
    async close() {},
  }));

  auditLogContract('KyselyAuditLog (PostgreSQL)', async () => ({ log: new KyselyAuditLog(handle.db), async close() {} }));

  sessionRepositoryContract('KyselySessionRepository (PostgreSQL)', async () => ({
    users: new KyselyUserRepository(handle.db),
    // Small batches, so the contract's backlog spans several of them.
    sessions: new KyselySessionRepository(handle.db),
    async close() {},
  }));

  describe('with a second instance on its own pool', function () {
    // A pool of its own is a set of sessions of its own, which is what another process looks like to the server.
    let second: DatabaseHandle;
    before(async function () {
      second = quietDatabase(scratch!.url);
    });
    after(async function () {
      await second?.close();
    });

    totpFactorRepositoryContract('KyselyTotpFactorRepository (PostgreSQL)', async () => ({
      users: new KyselyUserRepository(handle.db),
      factors: new KyselyTotpFactorRepository(handle.db),
      otherInstance: new KyselyTotpFactorRepository(second.db),
      async close() {},
    }));

    mfaChallengeStoreContract('KyselyMfaChallengeStore (PostgreSQL)', async () => ({
      users: new KyselyUserRepository(handle.db),
      challenges: new KyselyMfaChallengeStore(handle.db),
      otherInstance: new KyselyMfaChallengeStore(second.db),
      async close() {},
    }));
  });

  describe('createPostgresDatabase', function () {
    it('answers a ping', async function () {
      await handle.ping();
    });

    it('has the server cancel a statement that outlives statementTimeoutMs', async function () {
      const impatient = quietDatabase(scratch!.url, { statementTimeoutMs: 50 });
      try {
        const error = await sql`select pg_sleep(2)`.execute(impatient.db).then(
          () => undefined,
          (caught: unknown) => caught,
        );
        // 57014 query_canceled is how PostgreSQL reports a statement_timeout.
        expect(error).to.have.property('code', '57014');
      } finally {
        await impatient.close();
      }
    });

    it('hands DATABASE_TIMEOUT_MS to the server as statement, lock and idle-in-transaction timeouts', async function () {
      const configured = quietDatabase(scratch!.url, { timeoutMs: 1_234 });
      try {
        const shown = await sql<Record<string, string>>`select current_setting('statement_timeout') as statement,
          current_setting('lock_timeout') as lock, current_setting('idle_in_transaction_session_timeout') as idle`.execute(configured.db);
        expect(shown.rows[0]).to.deep.equal({ statement: '1234ms', lock: '1234ms', idle: '1234ms' });
      } finally {
        await configured.close();
      }
    });

    it('gives up waiting on a lock outside any request (lock_timeout), the second line behind the deadline', async function () {
      const impatient = quietDatabase(scratch!.url, { timeoutMs: 200, statementTimeoutMs: 60_000 });
      const holder = quietDatabase(scratch!.url);
      try {
        await holder.db.transaction().execute(async (trx) => {
          await sql`lock table users in access exclusive mode`.execute(trx);
          const error = await sql`select count(*) from users`.execute(impatient.db).then(
            () => undefined,
            (caught: unknown) => caught,
          );
          // 55P03 lock_not_available: lock_timeout, not the minute-long statement_timeout, ended the wait.
          expect(error).to.have.property('code', '55P03');
        });
      } finally {
        await impatient.close();
        await holder.close();
      }
    });

    it('bounds the wait for a connection and the statement after it by one deadline, within poolMax connections', async function () {
      const single = createPostgresDatabase({ url: scratch!.url, poolMax: 1, onPoolError: () => {} });
      try {
        const overtakenPid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(single.db)).rows[0]!.pid;
        // The only connection is busy for 300 ms outside any request; the request then needs 400 ms more.
        const busy = sql`select pg_sleep(0.3)`.execute(single.db);
        const started = performance.now();
        const error = await withDatabaseDeadline(500, () => sql`select pg_sleep(0.4)`.execute(single.db)).then(
          () => undefined,
          (caught: unknown) => caught,
        );
        const elapsed = performance.now() - started;
        await busy;

        expect(error).to.be.instanceOf(DatabaseDeadlineExceeded);
        // Each bound alone (300 ms of waiting, 400 ms of statement) is within 500 ms; together they are not.
        expect(elapsed).to.be.within(450, 1_500);
        // The overtaken statement keeps its connection, so the pool never holds more than poolMax; the next request
        // gets a fresh one once that statement is over, not the old one still busy with it.
        expect(single.poolStats!().inUse).to.equal(1);
        const { rows } = await withDatabaseDeadline(1_000, () => sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(single.db));
        expect(rows[0]!.pid).not.to.equal(overtakenPid);
      } finally {
        await single.close();
      }
    });

    it("charges a request's deadline only with time spent on the database, not with the work between queries", async function () {
      const answered = await withDatabaseDeadline(300, async () => {
        await handle.ping();
        // The request's own work between two queries, as a log-in's bcrypt hash between its read and its write.
        await new Promise((resolve) => setTimeout(resolve, 400));
        await handle.ping();
        return true;
      });
      expect(answered).to.equal(true);
    });

    it('fails a ping at once when nothing listens at the address', async function () {
      const down = quietDatabase('postgres://postgres@127.0.0.1:1/test');
      const started = Date.now();
      try {
        const error = await down.ping().then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect(error).to.be.instanceOf(Error);
        expect(Date.now() - started).to.be.below(3_000);
      } finally {
        await down.close();
      }
    });

    it('reports an idle connection killed by the server to onPoolError, and keeps serving', async function () {
      let reported!: (error: Error) => void;
      const poolError = new Promise<Error>((resolve) => (reported = resolve));
      const victim = createPostgresDatabase({ url: scratch!.url, onPoolError: (error) => reported(error) });
      const admin = quietDatabase(scratch!.url);
      try {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(victim.db);
        await sql`select pg_terminate_backend(${rows[0]!.pid})`.execute(admin.db);

        expect(await poolError).to.be.instanceOf(Error);
        await victim.ping();
      } finally {
        await admin.close();
        await victim.close();
      }
    });
  });

  describe('migrations', function () {
    it('are applied exactly once when several instances start at the same moment', async function () {
      const fresh = await createScratchDatabase();
      // Separate pools are separate sessions, which is what separate processes look like to the server.
      const instances = Array.from({ length: 5 }, () => quietDatabase(fresh.url));
      try {
        const applied = await Promise.all(instances.map((instance) => migrateToLatest(instance.db)));

        expect(applied.flat()).to.deep.equal(Object.keys(migrations));
        const status = await migrationStatus(instances[0]!.db);
        expect(status.every((migration) => migration.executedAt instanceof Date)).to.equal(true);
      } finally {
        await Promise.all(instances.map((instance) => instance.close()));
        await fresh.drop();
      }
    });
  });
});
