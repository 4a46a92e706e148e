import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import type { DatabaseHandle } from '../../../adapters/kysely/database-handle.js';
import { migrateToLatest } from '../../../adapters/kysely/migrator.js';
import { createPostgresDatabase } from '../../../adapters/kysely/postgres-database.js';
import { InvalidMfaLogIn, MfaRequired } from '../../../application/index.js';
import { TOKENS } from '../../../bootstrap/tokens.js';
import { expectRejection } from '../../support/expect-rejection.js';
import { PlainTokenIssuer } from '../../support/fakes.js';
import { FakeClock } from '../../support/fake-clock.js';
import { scratchDatabaseOrSkip, type ScratchDatabase } from '../../support/scratch-postgres.js';
import { testContainer } from '../../support/test-container.js';
import { stale } from '../../support/requester.js';

const ORIGIN = { ip: '192.0.2.10' };
const PASSWORD = 'a long enough secret';

/** One instance of the service: its own container, pool and in-process limiters, the shared database and key. */
async function instance(database: DatabaseHandle, clock: FakeClock) {
  const { container } = await testContainer({ database, fakes: { clock } });
  return {
    totp: await container.getAsync(TOKENS.Totp),
    register: await container.getAsync(TOKENS.RegisterUser),
    enrol: await container.getAsync(TOKENS.EnrolTotp),
    confirm: await container.getAsync(TOKENS.ConfirmTotp),
    logIn: await container.getAsync(TOKENS.LogIn),
    complete: await container.getAsync(TOKENS.CompleteMfaLogIn),
  };
}

type Instance = Awaited<ReturnType<typeof instance>>;

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
    const [a, b] = [await instance(first, clock), await instance(second, clock)];
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
