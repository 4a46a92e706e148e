import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { expect } from 'chai';
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
  InvalidMfaLogIn,
  LogIn,
  LoginThrottle,
  MfaRequired,
  OpenSession,
  PasswordPolicy,
  RegisterUser,
  SecondFactorCheck,
  Reauthentication,
  totpCodeVerifier,
  type SecretBox,
} from '../../../application/index.js';
import { expectRejection } from '../../support/expect-rejection.js';
import { CountingHasher, PlainTokenIssuer } from '../../support/fakes.js';
import { FakeClock } from '../../support/fake-clock.js';
import { scratchDatabaseOrSkip, type ScratchDatabase } from '../../support/scratch-postgres.js';
import { stale } from '../../support/requester.js';

const ORIGIN = { ip: '192.0.2.10' };
const PASSWORD = 'a long enough secret';

/** One instance of the service: its own pool, its own in-process limiters, the shared database and key. */
function instance(db: Kysely<Database>, clock: FakeClock, secrets: SecretBox) {
  const users = new KyselyUserRepository(db);
  const factors = new KyselyTotpFactorRepository(db);
  const challenges = new KyselyMfaChallengeStore(db);
  const hasher = new CountingHasher();
  const totp = new OtpauthTotp('auth-service');
  const throttle = new LoginThrottle(new InMemoryRateLimiter({ limit: 10, windowMs: 60_000 }, clock), new InMemoryRateLimiter({ limit: 5, windowMs: 60_000 }, clock));
  const audit = new AuditTrail(new KyselyAuditLog(db), clock);
  const openSession = new OpenSession(new KyselySessionRepository(db), new PlainTokenIssuer(), clock, { refreshTokenTtlMs: 86_400_000 });
  return {
    totp,
    register: new RegisterUser(new KyselyUnitOfWork(db), hasher, new PasswordPolicy(new Set()), clock, new MailQueue(secrets, clock), unlimitedMail(clock), audit),
    enrol: new EnrolTotp(factors, totp, secrets, clock, new Reauthentication(hasher, throttle, clock, undefined, totpCodeVerifier(factors, new SecondFactorCheck(factors, totp, secrets, clock)))),
    confirm: new ConfirmTotp(factors, totp, secrets, clock),
    logIn: new LogIn(users, hasher, openSession, throttle, challenges, clock, audit),
    complete: new CompleteMfaLogIn(challenges, users, factors, new SecondFactorCheck(factors, totp, secrets, clock), openSession, throttle, clock, audit),
  };
}

type Instance = ReturnType<typeof instance>;

async function passwordStep(service: Instance, login: string): Promise<string> {
  const required = await expectRejection(service.logIn.execute({ login, password: PASSWORD, origin: ORIGIN }), MfaRequired);
  return (required as MfaRequired).mfaToken;
}

describe('Two-factor log-in on two instances over one PostgreSQL', function () {
  let scratch: ScratchDatabase | undefined;
  let first: DatabaseHandle;
  let second: DatabaseHandle;

  before(async function () {
    scratch = await scratchDatabaseOrSkip(this);
    first = createPostgresDatabase({ url: scratch.url, onPoolError: () => {} });
    second = createPostgresDatabase({ url: scratch.url, onPoolError: () => {} });
    await migrateToLatest(first.db);
  });

  /**
   * Two instances on the one database, a user registered and enrolled on the first, the factor confirmed on the
   * instance `confirmOn` picks, and the next step's code.
   */
  async function enrolledOnBoth(confirmOn: (services: { a: Instance; b: Instance }) => Instance) {
    const clock = new FakeClock();
    const secrets = new AesGcmSecretBox(randomBytes(32));
    const [a, b] = [instance(first.db, clock, secrets), instance(second.db, clock, secrets)];
    const login = `two_${randomBytes(4).toString('hex')}`;
    const user = await a.register.execute({ email: `${login}@example.com`, username: login, password: PASSWORD });
    const { secret } = await a.enrol.execute(stale(user, clock.now()), { kind: 'password', password: PASSWORD });
    await confirmOn({ a, b }).confirm.execute(user, a.totp.generate(secret, clock.now()));
    clock.advance(30_000);
    return { a, b, login, code: a.totp.generate(secret, clock.now()) };
  }

  after(async function () {
    await first?.close();
    await second?.close();
    await scratch?.drop();
  });

  it('finishes on one instance a log-in begun on the other, and refuses there a code used on the first', async function () {
    const { a, b, login, code } = await enrolledOnBoth((services) => services.b);

    const { tokens } = await b.complete.execute({ mfaToken: await passwordStep(a, login), code, origin: ORIGIN });
    expect((await new PlainTokenIssuer().verify(tokens.accessToken.token)).amr).to.deep.equal(['pwd', 'otp']);
    await expectRejection(a.complete.execute({ mfaToken: await passwordStep(a, login), code, origin: ORIGIN }), InvalidMfaLogIn);
  });

  it('lets exactly one of two instances accept one code presented to both at once', async function () {
    const { a, b, login, code } = await enrolledOnBoth((services) => services.a);
    const [tokenA, tokenB] = [await passwordStep(a, login), await passwordStep(b, login)];

    const results = await Promise.allSettled([
      a.complete.execute({ mfaToken: tokenA, code, origin: ORIGIN }),
      b.complete.execute({ mfaToken: tokenB, code, origin: ORIGIN }),
    ]);
    expect(results.map((r) => r.status).sort()).to.deep.equal(['fulfilled', 'rejected']);
  });
});

/** Registration queues a verification mail; these tests read no mail, so no budget stops it. */
function unlimitedMail(clock: FakeClock): MailThrottle {
  const hourly = () => new InMemoryRateLimiter({ limit: 1_000_000, windowMs: 3_600_000 }, clock);
  return new MailThrottle(hourly(), hourly());
}
