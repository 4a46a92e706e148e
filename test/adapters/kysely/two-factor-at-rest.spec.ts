import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { sql, type Kysely } from 'kysely';
import { AesGcmSecretBox } from '../../../adapters/crypto/aes-gcm-secret-box.js';
import type { Database } from '../../../adapters/kysely/database.js';
import type { DatabaseHandle } from '../../../adapters/kysely/database-handle.js';
import { KyselyMfaChallengeStore } from '../../../adapters/kysely/kysely-mfa-challenge-store.js';
import { KyselySessionRepository } from '../../../adapters/kysely/kysely-session-repository.js';
import { KyselyTotpFactorRepository } from '../../../adapters/kysely/kysely-totp-factor-repository.js';
import { KyselyAuditLog } from '../../../adapters/kysely/kysely-audit-log.js';
import { KyselyUnitOfWork } from '../../../adapters/kysely/kysely-unit-of-work.js';
import { KyselyUserRepository } from '../../../adapters/kysely/kysely-user-repository.js';
import { migrateToLatest } from '../../../adapters/kysely/migrator.js';
import { createPgliteDatabase } from '../../../adapters/kysely/pglite-database.js';
import { createPostgresDatabase } from '../../../adapters/kysely/postgres-database.js';
import { InMemoryRateLimiter } from '../../../adapters/memory/in-memory-rate-limiter.js';
import { OtpauthTotp } from '../../../adapters/otpauth/otpauth-totp.js';
import {
  AuditTrail,
  MailQueue,
  MailThrottle,
  CompleteMfaLogIn,
  ConfirmTotp,
  EnrolTotp,
  LogIn,
  LoginThrottle,
  MfaRequired,
  OpenSession,
  PasswordPolicy,
  RegisterUser,
  SecondFactorCheck,
  Reauthentication,
  totpCodeVerifier,
} from '../../../application/index.js';
import { CountingHasher, PlainTokenIssuer } from '../../support/fakes.js';
import { FakeClock } from '../../support/fake-clock.js';
import { scratchDatabaseOrSkip, type ScratchDatabase } from '../../support/scratch-postgres.js';
import { stale } from '../../support/requester.js';
import { PGLITE_OPEN_TIMEOUT_MS } from '../../support/pglite-timeout.js';

const ORIGIN = { ip: '192.0.2.10' };

/** Turns two-factor log-in on and logs in with it through the SQL stores: what a dump would then hold. */
async function enrolAndLogIn(db: Kysely<Database>) {
  const users = new KyselyUserRepository(db);
  const factors = new KyselyTotpFactorRepository(db);
  const challenges = new KyselyMfaChallengeStore(db);
  const hasher = new CountingHasher();
  const clock = new FakeClock();
  const totp = new OtpauthTotp('auth-service');
  const secrets = new AesGcmSecretBox(randomBytes(32));
  const throttle = new LoginThrottle(new InMemoryRateLimiter({ limit: 10, windowMs: 60_000 }, clock), new InMemoryRateLimiter({ limit: 5, windowMs: 60_000 }, clock));
  const audit = new AuditTrail(new KyselyAuditLog(db), clock);
  const openSession = new OpenSession(new KyselySessionRepository(db), new PlainTokenIssuer(), clock, { refreshTokenTtlMs: 86_400_000 });
  const logIn = new LogIn(users, hasher, openSession, throttle, challenges, clock, audit);
  const complete = new CompleteMfaLogIn(challenges, users, factors, new SecondFactorCheck(factors, totp, secrets, clock), openSession, throttle, clock, audit);

  const tag = randomBytes(4).toString('hex');
  const password = 'a long enough secret';
  const user = await new RegisterUser(new KyselyUnitOfWork(db), hasher, new PasswordPolicy(new Set()), clock, new MailQueue(secrets, clock), unlimitedMail(clock), audit).execute({ email: `d-${tag}@example.com`, username: `d_${tag}`, password });
  const { secret } = await new EnrolTotp(factors, totp, secrets, clock, new Reauthentication(hasher, throttle, clock, undefined, totpCodeVerifier(factors, new SecondFactorCheck(factors, totp, secrets, clock)))).execute(stale(user, clock.now()), { kind: 'password', password });
  const { recoveryCodes } = await new ConfirmTotp(factors, totp, secrets, clock).execute(user, totp.generate(secret, clock.now()));
  clock.advance(30_000);
  let mfaToken = '';
  await logIn.execute({ login: user.username.value, password, origin: ORIGIN }).catch((error: unknown) => {
    if (!(error instanceof MfaRequired)) throw error;
    mfaToken = error.mfaToken;
  });
  // A second log-in left waiting, so its token's row is in the dump too.
  let waitingToken = '';
  await logIn.execute({ login: user.username.value, password, origin: ORIGIN }).catch((error: unknown) => {
    if (!(error instanceof MfaRequired)) throw error;
    waitingToken = error.mfaToken;
  });
  await complete.execute({ mfaToken, code: totp.generate(secret, clock.now()), origin: ORIGIN });
  return { secret, recoveryCodes, waitingToken };
}

function expectNoSecretIn(dump: string, { secret, recoveryCodes, waitingToken }: Awaited<ReturnType<typeof enrolAndLogIn>>) {
  expect(dump).to.include('v1.'); // the sealed secret is there: the dump is not simply empty
  const bytes = decodeBase32(secret);
  for (const clear of [secret, secret.toLowerCase(), bytes.toString('hex'), bytes.toString('base64'), waitingToken, ...recoveryCodes, ...recoveryCodes.map((c) => c.replaceAll('-', ''))]) {
    expect(dump).to.not.include(clear);
  }
}

function decodeBase32(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of text) {
    value = (value << 5) | alphabet.indexOf(char);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

describe('Two-factor secrets at rest', function () {
  describe('on PGlite', function () {
    let handle: DatabaseHandle;
    before(async function () {
      this.timeout(PGLITE_OPEN_TIMEOUT_MS);
      handle = await createPgliteDatabase();
      await migrateToLatest(handle.db);
    });
    after(async function () {
      await handle?.close();
    });

    it('leaves no TOTP secret, recovery code or mfa_token in clear in any table', async function () {
      const secrets = await enrolAndLogIn(handle.db);
      const { rows: tables } = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = 'public'`.execute(handle.db);
      const dump: string[] = [];
      for (const { name } of tables) {
        const { rows } = await sql<{ row: string }>`select row_to_json(t)::text as row from ${sql.table(name)} t`.execute(handle.db);
        dump.push(...rows.map((r) => r.row));
      }
      expectNoSecretIn(dump.join('\n'), secrets);
    });

    it('refuses a TOTP secret stored in clear', async function () {
      const { rows } = await sql<{ id: string }>`select id from users limit 1`.execute(handle.db);
      const error = await sql`update totp_factors set secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' where user_id = ${rows[0]!.id}`
        .execute(handle.db)
        .then(
          () => undefined,
          (caught: unknown) => caught,
        );
      // 23514 check_violation
      expect(error).to.have.property('code', '23514');
    });
  });

  describe('on PostgreSQL, through pg_dump', function () {
    let scratch: ScratchDatabase | undefined;
    let handle: DatabaseHandle;
    before(async function () {
      scratch = await scratchDatabaseOrSkip(this);
      handle = createPostgresDatabase({ url: scratch.url, onPoolError: () => {} });
      await migrateToLatest(handle.db);
    });
    after(async function () {
      await handle?.close();
      await scratch?.drop();
    });

    it('leaves no TOTP secret, recovery code or mfa_token in clear in the dump', async function () {
      const secrets = await enrolAndLogIn(handle.db);
      let dump: string;
      try {
        dump = (await promisify(execFile)('pg_dump', ['--data-only', scratch!.url], { maxBuffer: 64 * 1024 * 1024 })).stdout;
      } catch (error) {
        if ((error as { code?: unknown }).code === 'ENOENT') this.skip();
        throw error;
      }
      expect(dump).to.include('COPY public.totp_factors');
      expectNoSecretIn(dump, secrets);
    });
  });
});

/** Registration queues a verification mail; these tests read no mail, so no budget stops it. */
function unlimitedMail(clock: FakeClock): MailThrottle {
  const hourly = () => new InMemoryRateLimiter({ limit: 1_000_000, windowMs: 3_600_000 }, clock);
  return new MailThrottle(hourly(), hourly());
}
