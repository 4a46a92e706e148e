import { expect } from 'chai';
import {
  hashMfaToken,
  PurgeExpiredMfaChallenges,
  InvalidCredentials,
  InvalidMfaLogIn,
  InvalidOtp,
  InvalidToken,
  MfaAlreadyEnabled,
  MfaNotEnabled,
  MfaNotEnrolled,
  MfaRequired,
  TooManyLoginAttempts,
  WrongCurrentPassword,
  type User,
} from '../../../application/index.js';
import { expectRejection } from '../../support/expect-rejection.js';
import { ALICE, LOGIN_LIMITS, ORIGIN, useCaseWorld } from '../world.js';
import { stale } from '../../support/requester.js';
import { InvalidReauthenticationCode, passwordProof } from '../../../application/index.js';

const STEP_MS = 30_000;
type World = ReturnType<typeof useCaseWorld>;

/** Alice with two-factor log-in on: her secret, her recovery codes, and a clock moved past the confirming step. */
async function aliceWithTotp(world: World = useCaseWorld()) {
  const alice = await world.register.execute(ALICE);
  const { secret, otpauthUri } = await world.enrolTotp.execute(stale(alice, world.clock.now()), passwordProof(ALICE.password));
  const { recoveryCodes } = await world.confirmTotp.execute(alice, world.totp.generate(secret, world.clock.now()));
  world.clock.advance(STEP_MS);
  const code = () => world.totp.generate(secret, world.clock.now());
  const wrongCode = () => wrongCodeFor(world, secret);
  return { world, alice: (await world.users.findById(alice.id))!, secret, otpauthUri, recoveryCodes, code, wrongCode };
}

/** A code no step in the drift window has, so a wrong try can never pass by a one-in-a-million chance. */
function wrongCodeFor(world: World, secret: string): string {
  const now = world.clock.now().getTime();
  const window = [-1, 0, 1].map((n) => world.totp.generate(secret, new Date(now + n * STEP_MS)));
  for (let candidate = 0; ; candidate++) {
    const text = String(candidate).padStart(6, '0');
    if (!window.includes(text)) return text;
  }
}

/** The password step, which must ask for the second factor: the mfa_token it gives. */
async function passwordStep(world: World, origin = ORIGIN): Promise<string> {
  const required = (await expectRejection(world.logIn.execute({ login: 'alice', password: ALICE.password, origin }), MfaRequired)) as MfaRequired;
  expect(required.expiresIn).to.equal(300);
  return required.mfaToken;
}

async function amrOf(world: World, accessToken: string) {
  return (await world.tokens.verify(accessToken)).amr;
}

describe('Two-factor log-in (TOTP)', () => {
  it('enrols, confirms with a code from the secret, and then logs in in two steps with amr pwd+otp', async () => {
    const { world, alice, otpauthUri, recoveryCodes, code } = await aliceWithTotp();
    expect(alice.mfaEnabled).to.equal(true);
    expect(otpauthUri).to.match(/^otpauth:\/\/totp\/auth-service:Alice\?/);
    expect(recoveryCodes).to.have.length(10);
    expect(new Set(recoveryCodes).size).to.equal(10);
    expect(world.notifier.events).to.deep.equal(['enabled:Alice']);

    const mfaToken = await passwordStep(world);
    const { user, tokens } = await world.completeMfaLogIn.execute({ mfaToken, code: code(), origin: ORIGIN });
    expect(user.id).to.equal(alice.id);
    expect(await amrOf(world, tokens.accessToken.token)).to.deep.equal(['pwd', 'otp']);
    expect((await world.authenticate.execute(tokens.accessToken.token)).session.amr).to.deep.equal(['pwd', 'otp']);
  });

  it('keeps amr pwd+otp across a refresh', async () => {
    const { world, code } = await aliceWithTotp();
    const { tokens } = await world.completeMfaLogIn.execute({ mfaToken: await passwordStep(world), code: code(), origin: ORIGIN });
    world.clock.advance(60_000);
    const refreshed = await world.refresh.execute(tokens.refreshToken);
    expect(await amrOf(world, refreshed.accessToken.token)).to.deep.equal(['pwd', 'otp']);
  });

  it('gives amr pwd alone to a one-step log-in', async () => {
    const world = useCaseWorld();
    await world.register.execute(ALICE);
    const { tokens } = await world.logIn.execute({ login: 'alice', password: ALICE.password, origin: ORIGIN });
    expect(await amrOf(world, tokens.accessToken.token)).to.deep.equal(['pwd']);
  });

  it('refuses the same code a second time, and the code that confirmed the factor', async () => {
    const world = useCaseWorld();
    const alice = await world.register.execute(ALICE);
    const { secret } = await world.enrolTotp.execute(stale(alice, world.clock.now()), passwordProof(ALICE.password));
    const confirming = world.totp.generate(secret, world.clock.now());
    await world.confirmTotp.execute(alice, confirming);
    await expectRejection(world.completeMfaLogIn.execute({ mfaToken: await passwordStep(world), code: confirming, origin: ORIGIN }), InvalidMfaLogIn);

    world.clock.advance(STEP_MS);
    const code = world.totp.generate(secret, world.clock.now());
    await world.completeMfaLogIn.execute({ mfaToken: await passwordStep(world), code, origin: ORIGIN });
    await expectRejection(world.completeMfaLogIn.execute({ mfaToken: await passwordStep(world), code, origin: ORIGIN }), InvalidMfaLogIn);
  });

  it('accepts a code one step old and refuses one two steps old', async () => {
    const { world, secret } = await aliceWithTotp();
    world.clock.advance(10 * STEP_MS);
    const stepsAgo = (n: number) => world.totp.generate(secret, new Date(world.clock.now().getTime() - n * STEP_MS));
    await world.completeMfaLogIn.execute({ mfaToken: await passwordStep(world), code: stepsAgo(1), origin: ORIGIN });
    world.clock.advance(10 * STEP_MS);
    await expectRejection(world.completeMfaLogIn.execute({ mfaToken: await passwordStep(world), code: stepsAgo(2), origin: ORIGIN }), InvalidMfaLogIn);
  });

  it('takes each recovery code once, typed in any case and spacing, and reports its use', async () => {
    const { world, recoveryCodes } = await aliceWithTotp();
    const typed = recoveryCodes[3]!.toUpperCase().replaceAll('-', ' ');
    const { tokens } = await world.completeMfaLogIn.execute({ mfaToken: await passwordStep(world), code: typed, origin: ORIGIN });
    expect(await amrOf(world, tokens.accessToken.token)).to.deep.equal(['pwd', 'otp']);
    expect(world.notifier.events).to.deep.equal(['enabled:Alice', 'recovery_code_used:Alice:9']);
    await expectRejection(world.completeMfaLogIn.execute({ mfaToken: await passwordStep(world), code: recoveryCodes[3]!, origin: ORIGIN }), InvalidMfaLogIn);
  });

  it('records the second step in the security history: login.succeeded with amr and method, login.failed for a wrong code', async () => {
    const { world, alice, code, wrongCode } = await aliceWithTotp();
    const mfaToken = await passwordStep(world);
    await expectRejection(world.completeMfaLogIn.execute({ mfaToken, code: wrongCode(), origin: ORIGIN }), InvalidMfaLogIn);
    // The password step alone is no log-in yet.
    expect(await world.auditLog.list({ type: 'login.succeeded' }, { limit: 10 })).to.deep.equal([]);
    await world.completeMfaLogIn.execute({ mfaToken, code: code(), origin: ORIGIN });

    const [failed] = await world.auditLog.list({ type: 'login.failed' }, { limit: 10 });
    expect(failed).to.include({ userId: alice.id, actorId: null, ip: ORIGIN.ip });
    expect(failed!.details).to.deep.equal({ username: 'Alice', reason: 'invalid_code' });
    const succeeded = await world.auditLog.list({ type: 'login.succeeded' }, { limit: 10 });
    expect(succeeded).to.have.length(1);
    expect(succeeded[0]).to.include({ userId: alice.id, actorId: alice.id, ip: ORIGIN.ip });
    expect(succeeded[0]!.details).to.deep.equal({ amr: ['pwd', 'otp'], method: 'totp' });
  });

  it('purges mfa_tokens past their 5 minutes, and only those', async () => {
    const { world } = await aliceWithTotp();
    const purge = new PurgeExpiredMfaChallenges(world.mfaChallenges, world.clock);
    const stale = await passwordStep(world);
    world.clock.advance(4 * 60_000);
    const fresh = await passwordStep(world);
    expect(await purge.runBatch(1_000)).to.equal(0);
    world.clock.advance(60_000 + 1);
    expect(await purge.runBatch(1_000)).to.equal(1);
    expect(await world.mfaChallenges.attempt(hashMfaToken(stale))).to.equal(undefined);
    expect(await world.mfaChallenges.attempt(hashMfaToken(fresh))).not.to.equal(undefined);
  });

  it('makes recovery codes of 80 random bits: 16 base32 characters', async () => {
    const { recoveryCodes } = await aliceWithTotp();
    for (const code of recoveryCodes) expect(code).to.match(/^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/);
  });

  it('kills an mfa_token after its fifth wrong code, even for the right code', async () => {
    const { world, code, wrongCode } = await aliceWithTotp();
    const mfaToken = await passwordStep(world);
    for (let i = 0; i < 5; i++) await expectRejection(world.completeMfaLogIn.execute({ mfaToken, code: wrongCode(), origin: ORIGIN }), InvalidMfaLogIn);
    await expectRejection(world.completeMfaLogIn.execute({ mfaToken, code: code(), origin: ORIGIN }), InvalidMfaLogIn);
  });

  it('counts wrong codes against the account, and a new password step does not clear them', async () => {
    const { world, wrongCode } = await aliceWithTotp();
    // The per-account-and-address budget of the test world is 5 failures.
    const first = await passwordStep(world);
    for (let i = 0; i < 3; i++) await expectRejection(world.completeMfaLogIn.execute({ mfaToken: first, code: wrongCode(), origin: ORIGIN }), InvalidMfaLogIn);
    const second = await passwordStep(world);
    for (let i = 0; i < 2; i++) await expectRejection(world.completeMfaLogIn.execute({ mfaToken: second, code: wrongCode(), origin: ORIGIN }), InvalidMfaLogIn);
    await expectRejection(world.completeMfaLogIn.execute({ mfaToken: second, code: wrongCode(), origin: ORIGIN }), TooManyLoginAttempts);
    await expectRejection(world.logIn.execute({ login: 'alice', password: ALICE.password, origin: ORIGIN }), TooManyLoginAttempts);
  });

  it('clears the failures once the second step succeeds', async () => {
    const { world, code, wrongCode } = await aliceWithTotp();
    const mfaToken = await passwordStep(world);
    for (let i = 0; i < 4; i++) await expectRejection(world.completeMfaLogIn.execute({ mfaToken, code: wrongCode(), origin: ORIGIN }), InvalidMfaLogIn);
    await world.completeMfaLogIn.execute({ mfaToken, code: code(), origin: ORIGIN });
    world.clock.advance(STEP_MS);
    const next = await passwordStep(world);
    for (let i = 0; i < 4; i++) await expectRejection(world.completeMfaLogIn.execute({ mfaToken: next, code: wrongCode(), origin: ORIGIN }), InvalidMfaLogIn);
  });

  it('uses an mfa_token once', async () => {
    const { world, code, recoveryCodes } = await aliceWithTotp();
    const mfaToken = await passwordStep(world);
    await world.completeMfaLogIn.execute({ mfaToken, code: code(), origin: ORIGIN });
    await expectRejection(world.completeMfaLogIn.execute({ mfaToken, code: recoveryCodes[0]!, origin: ORIGIN }), InvalidMfaLogIn);
  });

  it('lets one of two concurrent right codes on one mfa_token open a session', async () => {
    const { world, code, recoveryCodes } = await aliceWithTotp();
    const mfaToken = await passwordStep(world);
    const results = await Promise.allSettled([
      world.completeMfaLogIn.execute({ mfaToken, code: code(), origin: ORIGIN }),
      world.completeMfaLogIn.execute({ mfaToken, code: recoveryCodes[0]!, origin: ORIGIN }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
  });

  it('answers an mfa_token only from the address that passed the password step', async () => {
    const { world, code } = await aliceWithTotp();
    const mfaToken = await passwordStep(world);
    await expectRejection(world.completeMfaLogIn.execute({ mfaToken, code: code(), origin: { ...ORIGIN, ip: '198.51.100.1' } }), InvalidMfaLogIn);
  });

  it('refuses an mfa_token older than 5 minutes', async () => {
    const { world, code } = await aliceWithTotp();
    const mfaToken = await passwordStep(world);
    world.clock.advance(5 * 60_000);
    await expectRejection(world.completeMfaLogIn.execute({ mfaToken, code: code(), origin: ORIGIN }), InvalidMfaLogIn);
  });

  it('refuses an mfa_token as a bearer token, and a made-up one as an mfa_token', async () => {
    const { world, code } = await aliceWithTotp();
    const mfaToken = await passwordStep(world);
    await expectRejection(world.authenticate.execute(mfaToken), InvalidToken);
    await expectRejection(world.completeMfaLogIn.execute({ mfaToken: 'made-up', code: code(), origin: ORIGIN }), InvalidMfaLogIn);
  });

  it('asks for no second factor before the password is right', async () => {
    const { world } = await aliceWithTotp();
    await expectRejection(world.logIn.execute({ login: 'alice', password: 'not the password', origin: ORIGIN }), InvalidCredentials);
  });

  it('keeps the TOTP secret sealed in the store', async () => {
    const { world, alice, secret } = await aliceWithTotp();
    const stored = (await world.factors.find(alice.id))!;
    expect(stored.sealedSecret).to.not.include(secret);
    expect(world.secrets.open(stored.sealedSecret)).to.equal(secret);
  });

  describe('EnrolTotp', () => {
    it('needs the current password', async () => {
      const world = useCaseWorld();
      const alice = await world.register.execute(ALICE);
      await expectRejection(world.enrolTotp.execute(stale(alice, world.clock.now()), passwordProof('wrong password')), WrongCurrentPassword);
      expect(await world.factors.find(alice.id)).to.equal(undefined);
    });

    it('counts a wrong password against the account, so a stolen access token buys no unlimited guesses', async () => {
      const world = useCaseWorld();
      const alice = await world.register.execute(ALICE);
      for (let i = 0; i < LOGIN_LIMITS.perAccountAddress.limit; i++) {
        await expectRejection(world.enrolTotp.execute(stale(alice, world.clock.now()), passwordProof(`wrong password ${i}`), ORIGIN), WrongCurrentPassword);
      }
      await expectRejection(world.enrolTotp.execute(stale(alice, world.clock.now()), passwordProof(ALICE.password), ORIGIN), TooManyLoginAttempts);
      await expectRejection(world.logIn.execute({ login: 'alice', password: ALICE.password, origin: ORIGIN }), TooManyLoginAttempts);
    });

    it('refuses while two-factor log-in is on', async () => {
      const { world, alice } = await aliceWithTotp();
      await expectRejection(world.enrolTotp.execute(stale(alice, world.clock.now()), passwordProof(ALICE.password)), MfaAlreadyEnabled);
    });

    it('stays pending, and one-step log-in stays, until confirmed', async () => {
      const world = useCaseWorld();
      const alice = await world.register.execute(ALICE);
      await world.enrolTotp.execute(stale(alice, world.clock.now()), passwordProof(ALICE.password));
      const { tokens } = await world.logIn.execute({ login: 'alice', password: ALICE.password, origin: ORIGIN });
      expect(await amrOf(world, tokens.accessToken.token)).to.deep.equal(['pwd']);
    });
  });

  describe('ConfirmTotp', () => {
    it('refuses a wrong code and leaves the factor pending', async () => {
      const world = useCaseWorld();
      const alice = await world.register.execute(ALICE);
      const { secret } = await world.enrolTotp.execute(stale(alice, world.clock.now()), passwordProof(ALICE.password));
      await expectRejection(world.confirmTotp.execute(alice, wrongCodeFor(world, secret)), InvalidOtp);
      await expectRejection(world.confirmTotp.execute(alice, 'not a code'), InvalidOtp);
      expect((await world.factors.find(alice.id))?.isConfirmed).to.equal(false);
    });

    it('refuses without an enrolment, and once confirmed', async () => {
      const world = useCaseWorld();
      const alice = await world.register.execute(ALICE);
      await expectRejection(world.confirmTotp.execute(alice, '123456'), MfaNotEnrolled);
      const { secret } = await world.enrolTotp.execute(stale(alice, world.clock.now()), passwordProof(ALICE.password));
      await world.confirmTotp.execute(alice, world.totp.generate(secret, world.clock.now()));
      world.clock.advance(STEP_MS);
      await expectRejection(world.confirmTotp.execute(alice, world.totp.generate(secret, world.clock.now())), MfaAlreadyEnabled);
    });

    it('takes a code of the latest enrolment only', async () => {
      const world = useCaseWorld();
      const alice = await world.register.execute(ALICE);
      const first = await world.enrolTotp.execute(stale(alice, world.clock.now()), passwordProof(ALICE.password));
      await world.enrolTotp.execute(stale(alice, world.clock.now()), passwordProof(ALICE.password));
      await expectRejection(world.confirmTotp.execute(alice, world.totp.generate(first.secret, world.clock.now())), InvalidOtp);
    });
  });

  describe('DisableTotp', () => {
    async function disable(world: World, alice: User, currentPassword: string, code: string) {
      return world.disableTotp.execute(stale(alice, world.clock.now()), { proof: passwordProof(currentPassword, code), origin: ORIGIN });
    }

    it('turns two-factor log-in off with the password and a code, and one-step log-in is back', async () => {
      const { world, alice, code } = await aliceWithTotp();
      await disable(world, alice, ALICE.password, code());
      expect((await world.users.findById(alice.id))?.mfaEnabled).to.equal(false);
      expect(world.notifier.events).to.deep.equal(['enabled:Alice', 'disabled:Alice']);
      const { tokens } = await world.logIn.execute({ login: 'alice', password: ALICE.password, origin: ORIGIN });
      expect(await amrOf(world, tokens.accessToken.token)).to.deep.equal(['pwd']);
    });

    it('takes a recovery code instead of a TOTP code', async () => {
      const { world, alice, recoveryCodes } = await aliceWithTotp();
      await disable(world, alice, ALICE.password, recoveryCodes[9]!);
      expect((await world.users.findById(alice.id))?.mfaEnabled).to.equal(false);
    });

    it('refuses a wrong password or a wrong code, and leaves the factor on', async () => {
      const { world, alice, code, wrongCode } = await aliceWithTotp();
      await expectRejection(disable(world, alice, 'wrong password', code()), WrongCurrentPassword);
      await expectRejection(disable(world, alice, ALICE.password, wrongCode()), InvalidReauthenticationCode);
      expect((await world.users.findById(alice.id))?.mfaEnabled).to.equal(true);
    });

    it('counts wrong codes against the log-in budget', async () => {
      const { world, alice, code, wrongCode } = await aliceWithTotp();
      for (let i = 0; i < 5; i++) await expectRejection(disable(world, alice, ALICE.password, wrongCode()), InvalidReauthenticationCode);
      await expectRejection(disable(world, alice, ALICE.password, code()), TooManyLoginAttempts);
    });

    it('refuses when two-factor log-in is off', async () => {
      const world = useCaseWorld();
      const alice = await world.register.execute(ALICE);
      await expectRejection(disable(world, alice, ALICE.password, '123456'), MfaNotEnabled);
    });

    it('ends a log-in waiting for its second step', async () => {
      const { world, alice, code } = await aliceWithTotp();
      const mfaToken = await passwordStep(world);
      await disable(world, alice, ALICE.password, code());
      world.clock.advance(STEP_MS);
      await expectRejection(world.completeMfaLogIn.execute({ mfaToken, code: code(), origin: ORIGIN }), InvalidMfaLogIn);
    });
  });
});
