import { expect } from 'chai';
import { sql, type CompiledQuery, type Kysely } from 'kysely';
import type pg from 'pg';
import type { Database } from '../../../adapters/kysely/database.js';
import { KyselyAuditLog } from '../../../adapters/kysely/kysely-audit-log.js';
import { KyselyMailOutbox } from '../../../adapters/kysely/kysely-mail-outbox.js';
import { KyselyMfaChallengeStore } from '../../../adapters/kysely/kysely-mfa-challenge-store.js';
import { KyselyOneTimeTokenStore } from '../../../adapters/kysely/kysely-one-time-token-store.js';
import { KyselySessionRepository } from '../../../adapters/kysely/kysely-session-repository.js';
import { migrateToLatest } from '../../../adapters/kysely/migrator.js';
import { PostgresHousekeepingLock } from '../../../adapters/kysely/postgres-housekeeping-lock.js';
import {
  Housekeeping,
  PurgeAuditEvents,
  PurgeEndedOneTimeTokens,
  PurgeEndedSessions,
  PurgeExpiredMfaChallenges,
  PurgeSettledMail,
  type HousekeepingObserver,
  type RoundReport,
} from '../../../application/index.js';
import { FakeClock } from '../../support/fake-clock.js';
import { recordingKysely } from '../../support/recording-kysely.js';
import { scratchDatabaseOrSkip, type ScratchDatabase } from '../../support/scratch-postgres.js';

const USER_ID = '01900000-0000-7000-8000-000000000001';
/** The backlog the fault-injection run found a single DELETE could not clear within the statement timeout. */
const DUE = 500_000;
/** Rows nothing may touch (live sessions, valid tokens, recent events, pending mail): enough that a plan reading a table whole shows. */
const LIVE = 50_000;
const NOW = new Date('2026-12-01T10:00:00.000Z');
const DAY = 86_400_000;
const TABLES = ['sessions', 'one_time_tokens', 'mfa_challenges', 'audit_events', 'mail_outbox'] as const;

/** One instance's housekeeping: its own pool, the service's five purges, the cross-instance lock. */
function anInstance(db: Kysely<Database>) {
  const clock = new FakeClock(NOW);
  const reports: RoundReport[] = [];
  let skipped = 0;
  const observer: HousekeepingObserver = {
    roundFinished: (report) => reports.push(report),
    roundSkipped: () => (skipped += 1),
    roundFailed: (error) => {
      throw error;
    },
  };
  const housekeeping = new Housekeeping(
    [
      new PurgeEndedSessions(new KyselySessionRepository(db), clock, 14 * DAY),
      new PurgeEndedOneTimeTokens(new KyselyOneTimeTokenStore(db), clock),
      new PurgeExpiredMfaChallenges(new KyselyMfaChallengeStore(db), clock),
      new PurgeAuditEvents(new KyselyAuditLog(db), clock, 90 * DAY),
      new PurgeSettledMail(new KyselyMailOutbox(db), clock, 30 * DAY),
    ],
    new PostgresHousekeepingLock(db),
    observer,
    { batchSize: 5_000, intervalMs: 3_600_000 },
  );
  return { housekeeping, reports, skipped: () => skipped };
}

/**
 * The purges on a large backlog, two instances at once: one round clears every due row in statements of one
 * bounded batch each, the other instance leaves it to the first; the statements' plans read no table whole.
 */
describe('Housekeeping on PostgreSQL with 500,000 due rows per table and two instances', function () {
  this.timeout(600_000);
  let scratch: ScratchDatabase | undefined;
  let a: { db: Kysely<Database>; pool: pg.Pool; sent: CompiledQuery[] };
  let b: { db: Kysely<Database>; pool: pg.Pool; sent: CompiledQuery[] };

  before(async function () {
    scratch = await scratchDatabaseOrSkip(this);
    a = recordingKysely(scratch.url, 4);
    b = recordingKysely(scratch.url, 4);
    const { db } = a;
    await migrateToLatest(db);
    await sql`insert into users (id, email, username, hashed_password) values (${USER_ID}, 'purge@example.com', 'purge', 'h')`.execute(db);
    const ago = (days: number) => new Date(NOW.getTime() - days * DAY);
    const ahead = new Date(NOW.getTime() + DAY);
    // One INSERT … SELECT generate_series per table and kind of row, the tables filled side by side.
    const fill = (into: Kysely<Database>, due: boolean) => {
      const tag = due ? 'd' : 'l';
      const count = due ? DUE : LIVE;
      return [
        sql`
          insert into sessions (id, user_id, token_version, expires_at, revoked_at)
          select gen_random_uuid(), ${USER_ID}, 0, ${due ? ago(30) : ahead}, null from generate_series(1, ${count})
        `,
        sql`
          insert into one_time_tokens (token_hash, purpose, user_id, email, created_at, expires_at)
          select md5(${tag} || i) || md5(${tag} || i || 'x'), 'reset_password', ${USER_ID}, 'purge@example.com', ${ago(3)}, ${due ? ago(2) : ahead}
          from generate_series(1, ${count}) as i
        `,
        sql`
          insert into mfa_challenges (token_hash, user_id, ip, created_at, expires_at)
          select md5(${tag} || i) || md5(${tag} || i || 'y'), ${USER_ID}, '127.0.0.1', ${ago(1)}, ${due ? ago(1) : ahead}
          from generate_series(1, ${count}) as i
        `,
        sql`
          insert into audit_events (id, type, at, user_id)
          select gen_random_uuid(), 'login.succeeded', ${due ? ago(100) : ago(1)}, ${USER_ID} from generate_series(1, ${count})
        `,
        sql`
          insert into mail_outbox (id, kind, recipient, status, attempts, next_attempt_at, deadline, created_at)
          select gen_random_uuid(), 'password_changed', 'purge@example.com', ${due ? 'sent' : 'pending'}, 1, ${ago(40)}, ${ago(39)}, ${ago(40)}
          from generate_series(1, ${count})
        `,
      ].map((statement) => statement.execute(into));
    };
    await Promise.all([...fill(a.db, true), ...fill(b.db, false)]);
    // The live sessions' current refresh tokens: the spent-token purge must find none of them.
    await sql`insert into refresh_tokens (token_hash, session_id) select md5(id::text) || md5(id::text || 'r'), id from sessions where expires_at > ${NOW}`.execute(db);
    await sql`analyze`.execute(db);
  });

  after(async function () {
    await a?.db.destroy();
    await b?.db.destroy();
    await scratch?.drop();
  });

  it('clears every due row in one round, one instance doing the work, no batch taking a second', async () => {
    const first = anInstance(a.db);
    const second = anInstance(b.db);

    const [reportA, reportB] = await Promise.all([first.housekeeping.runRound(), second.housekeeping.runRound()]);

    // One ran; the other found the lock taken and returned at once (it may also have started after the first
    // finished, and then found nothing due).
    const ran = [reportA, reportB].filter((report) => report !== undefined);
    const report = ran.find((r) => r.jobs.some((job) => job.removed > 0))!;
    expect(report, 'a round did the work').to.not.equal(undefined);
    expect(Object.fromEntries(report.jobs.map((job) => [job.name, job.removed]))).to.deep.equal({
      sessions: DUE,
      'one-time-tokens': DUE,
      'mfa-challenges': DUE,
      'audit-events': DUE,
      'mail-outbox': DUE,
    });
    expect(report.jobs.every((job) => job.error === undefined)).to.equal(true);
    // Each batch is one DELETE statement of at most 5,000 rows (the sessions job adds one for spent refresh
    // tokens once its sessions are gone): its time bounds the statement's.
    for (const job of report.jobs) expect(job.slowestBatchMs, `${job.name}: slowest batch`).to.be.below(1_000);
    expect(first.skipped() + second.skipped() + ran.length).to.equal(2);

    for (const table of TABLES) {
      const { rows } = await sql<{ count: number }>`select count(*)::int as count from ${sql.table(table)}`.execute(a.db);
      expect(rows[0]!.count, `${table}: the live rows, and only those, remain`).to.equal(LIVE);
    }

    // Every DELETE sent deletes by address (a Tid Scan), and with nothing due finds nothing by reading a table whole.
    await sql`analyze`.execute(a.db);
    const deletes = [...a.sent, ...b.sent].filter((query) => /^delete/i.test(query.sql));
    expect([...new Set(deletes.map((query) => query.sql.match(/^delete from "(\w+)"/i)?.[1]))]).to.have.members([...TABLES, 'refresh_tokens']);
    const distinct = new Map(deletes.map((query) => [query.sql, query]));
    for (const query of distinct.values()) {
      const { rows } = await a.pool.query<{ 'QUERY PLAN': string }>(`explain ${query.sql}`, [...query.parameters]);
      const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
      expect(plan, plan).to.match(/Tid Scan/);
      expect(plan, plan).not.to.match(/Seq Scan/);
    }
  });
});
