import { expect } from 'chai';
import {
  FreshAuthenticationRequired,
  InvalidMfaLogIn,
  InvalidReauthenticationCode,
  MfaLocked,
  MfaRequired,
  SecondFactorCodeRequired,
  WrongCurrentPassword,
  passwordProof,
  type MailKind,
  type Requester,
} from '../../../application/index.js';
import { expectRejection } from '../../support/expect-rejection.js';
import { fresh, stale } from '../../support/requester.js';
import { ALICE, ORIGIN, useCaseWorld } from '../world.js';

const STEP_MS = 30_000;
const MINUTE = 60_000;
type World = ReturnType<typeof useCaseWorld>;

async function aliceWithTotp(world: World = useCaseWorld()) {
  const alice = await world.register.execute(ALICE);
  const { secret } = await world.enrolTotp.execute(stale(alice, world.clock.now()), passwordProof(ALICE.password));
  const { recoveryCodes } = await world.confirmTotp.execute(alice, world.totp.generate(secret, world.clock.now()));
  world.clock.advance(STEP_MS);
  const code = () => world.totp.generate(secret, world.clock.now());
  const wrongCode = () => {
    const now = world.clock.now().getTime();
    const window = [-1, 0, 1].map((n) => world.totp.generate(secret, new Date(now + n * STEP_MS)));
    for (let candidate = 0; ; candidate++) {
      const text = String(candidate).padStart(6, '0');
      if (!window.includes(text)) return text;
    }
  };
  return { world, alice: (await world.users.findById(alice.id))!, recoveryCodes, code, wrongCode };
}

function tokenOf(world: World, kind: MailKind, to?: string): string {
  const mail = world.outbox.all().filter((m) => m.kind === kind && (to === undefined || m.to === to)).at(-1);
  if (!mail?.sealedToken) throw new Error(`no ${kind} mail`);
  return world.box.open(mail.sealedToken);
}

/** A requester as the edge would build it from a bearer token: the session as the store now holds it. */
async function sessionOf(world: World, accessToken: string): Promise<Requester> {
  return world.authenticate.execute(accessToken);
}

describe('Fresh authentication for sensitive actions (RFC 9470)', () => {
  describe('Session freshness', () => {
    it('is fresh within the configured age, and for a two-factor account only from a proof with the second factor', async () => {
      const world = useCaseWorld();
      const alice = await world.register.execute(ALICE);
      const { tokens } = await world.logIn.execute({ login: 'alice', password: ALICE.password, origin: ORIGIN });
      const { session } = await sessionOf(world, tokens.accessToken.token);
      expect(session.authTime).to.deep.equal(world.clock.now());
      expect(session.isFresh(world.clock.now(), 300_000, alice)).to.equal(true);
      expect(session.isFresh(new Date(world.clock.now().getTime() + 300_001), 300_000, alice)).to.equal(false);
      expect(session.isFresh(world.clock.now(), 300_000, { mfaEnabled: true })).to.equal(false);
    });

    it('keeps auth_time across a refresh: a refresh token is no new proof', async () => {
      const world = useCaseWorld();
      await world.register.execute(ALICE);
      const { tokens } = await world.logIn.execute({ login: 'alice', password: ALICE.password, origin: ORIGIN });
      const openedAt = world.clock.now();
      world.clock.advance(10 * MINUTE);
      const refreshed = await world.refresh.execute(tokens.refreshToken);
      const { session } = await sessionOf(world, refreshed.accessToken.token);
      expect(session.authTime).to.deep.equal(openedAt);
      expect((await world.tokens.verify(refreshed.accessToken.token)).authTime).to.deep.equal(openedAt);
    });
  });

  describe('every sensitive action, without fresh credentials or a fresh session', () => {
    it('is refused with FreshAuthenticationRequired and changes nothing', async () => {
      const world = useCaseWorld();
      const alice = await world.register.execute(ALICE);
      const admin = await world.register.execute({ email: 'root@example.com', username: 'root', password: 'a superuser passphrase' });
      const root = await world.setSuperuser.execute('root@example.com', true);
      world.clock.advance(10 * MINUTE);
      const now = world.clock.now();
      const refusals = [
        world.update.execute(stale(alice, now), { email: 'attacker@example.com' }),
        world.update.execute(stale(alice, now), { password: 'the attacker password' }),
        world.remove.execute(stale(alice, now)),
        world.enrolTotp.execute(stale(alice, now), undefined),
        world.updateUser.execute(stale(root, now), alice.id, { isActive: false }),
        world.deleteUser.execute(stale(root, now), alice.id),
        world.endUserSessions.execute(stale(root, now), alice.id),
        world.resetUserSecondFactors.execute(stale(root, now), alice.id),
      ];
      for (const refusal of refusals) {
        const error = (await expectRejection(refusal, FreshAuthenticationRequired)) as FreshAuthenticationRequired;
        expect(error.maxAgeSeconds).to.equal(300);
      }
      expect(await world.users.findById(alice.id)).to.deep.equal(alice);
      expect(admin.id).to.equal(root.id);
      expect(await world.factors.find(alice.id)).to.equal(undefined);
    });

    it('lets the same actions through with current_password, or in a fresh session', async () => {
      const world = useCaseWorld();
      const alice = await world.register.execute(ALICE);
      const moved = await world.update.execute(stale(alice, world.clock.now()), { email: 'alice2@example.com', currentPassword: ALICE.password });
      expect(moved.email.value).to.equal('alice2@example.com');
      const changed = await world.update.execute(fresh(moved, world.clock.now()), { password: 'a brand new secret' });
      expect(changed.tokenVersion).to.equal(1);
    });

    it('asks a two-factor account for the code too, and refuses a fresh session that proved the password alone', async () => {
      const { world, alice, code, wrongCode } = await aliceWithTotp();
      await expectRejection(world.update.execute(stale(alice, world.clock.now()), { email: 'x@example.com', currentPassword: ALICE.password }), SecondFactorCodeRequired);
      await expectRejection(
        world.update.execute(stale(alice, world.clock.now()), { email: 'x@example.com', currentPassword: ALICE.password, code: wrongCode() }),
        InvalidReauthenticationCode,
      );
      const passwordOnly = stale(alice, world.clock.now(), 0);
      await expectRejection(world.update.execute(passwordOnly, { email: 'x@example.com' }), FreshAuthenticationRequired);
      const moved = await world.update.execute(stale(alice, world.clock.now()), { email: 'x@example.com', currentPassword: ALICE.password, code: code() });
      expect(moved.email.value).to.equal('x@example.com');
    });
  });

  describe('Reauthenticate', () => {
    it('makes the session fresh (auth_time now, amr of the proof) and records user.reauthenticated', async () => {
      const { world, code } = await aliceWithTotp();
      const required = (await expectRejection(world.logIn.execute({ login: 'alice', password: ALICE.password, origin: ORIGIN }), MfaRequired)) as MfaRequired;
      const { tokens } = await world.completeMfaLogIn.execute({ mfaToken: required.mfaToken, code: code(), origin: ORIGIN });
      world.clock.advance(10 * MINUTE);
      const requester = await sessionOf(world, tokens.accessToken.token);
      await expectRejection(world.update.execute(requester, { email: 'late@example.com' }), FreshAuthenticationRequired);

      await expectRejection(world.reauthenticate.execute(requester, { kind: 'password', password: 'wrong', code: code() }, ORIGIN), WrongCurrentPassword);
      await expectRejection(world.reauthenticate.execute(requester, { kind: 'password', password: ALICE.password }, ORIGIN), SecondFactorCodeRequired);
      world.clock.advance(STEP_MS);
      await world.reauthenticate.execute(requester, { kind: 'password', password: ALICE.password, code: code() }, ORIGIN);
      const after = await sessionOf(world, tokens.accessToken.token);
      expect(after.session.authTime).to.deep.equal(world.clock.now());
      expect(after.session.amr).to.deep.equal(['pwd', 'otp']);
      const moved = await world.update.execute(after, { email: 'late@example.com' });
      expect(moved.email.value).to.equal('late@example.com');
      const events = await world.auditLog.list({ userId: moved.id, type: 'user.reauthenticated' }, { limit: 10 });
      expect(events).to.have.length(1);
    });
  });

  describe('the lock after MFA_MAX_CONSECUTIVE_FAILURES wrong codes', () => {
    it('refuses every code past the cap, tells the owner once, and lifts with a password reset from a mailed link', async () => {
      const { world, alice, code, wrongCode } = await aliceWithTotp(useCaseWorld({ mfaMaxConsecutiveFailures: 3 }));
      const step = async () =>
        ((await expectRejection(world.logIn.execute({ login: 'alice', password: ALICE.password, origin: ORIGIN }), MfaRequired)) as MfaRequired).mfaToken;
      for (let i = 0; i < 3; i++) {
        await expectRejection(world.completeMfaLogIn.execute({ mfaToken: await step(), code: wrongCode(), origin: ORIGIN }), InvalidMfaLogIn);
        world.clock.advance(60 * MINUTE);
      }
      expect(world.notifier.events.filter((event) => event.startsWith('locked'))).to.deep.equal(['locked:Alice']);
      await expectRejection(world.completeMfaLogIn.execute({ mfaToken: await step(), code: code(), origin: ORIGIN }), MfaLocked);

      await world.requestPasswordReset.execute({ email: 'alice@example.com', client: ORIGIN.ip });
      await world.resetPassword.execute({ token: tokenOf(world, 'reset_password'), password: 'the owner new secret' });
      world.clock.advance(STEP_MS);
      const required = (await expectRejection(world.logIn.execute({ login: 'alice', password: 'the owner new secret', origin: ORIGIN }), MfaRequired)) as MfaRequired;
      const { user } = await world.completeMfaLogIn.execute({ mfaToken: required.mfaToken, code: code(), origin: ORIGIN });
      expect(user.id).to.equal(alice.id);
    });

    it('counts the codes of reauthentication and of turning the factor off too', async () => {
      const { world, alice, code, wrongCode } = await aliceWithTotp(useCaseWorld({ mfaMaxConsecutiveFailures: 2 }));
      await expectRejection(world.reauthenticate.execute(fresh(alice, world.clock.now()), { kind: 'password', password: ALICE.password, code: wrongCode() }), InvalidReauthenticationCode);
      await expectRejection(world.disableTotp.execute(stale(alice, world.clock.now()), { proof: passwordProof(ALICE.password, wrongCode()), origin: {} }), InvalidReauthenticationCode);
      await expectRejection(world.disableTotp.execute(stale(alice, world.clock.now()), { proof: passwordProof(ALICE.password, code()), origin: {} }), MfaLocked);
    });
  });

  describe('pending mfa_tokens', () => {
    it('die with a password change', async () => {
      const { world, alice, code } = await aliceWithTotp();
      const required = (await expectRejection(world.logIn.execute({ login: 'alice', password: ALICE.password, origin: ORIGIN }), MfaRequired)) as MfaRequired;
      await world.update.execute(stale(alice, world.clock.now()), { password: 'the owner new secret', currentPassword: ALICE.password, code: code() });
      world.clock.advance(STEP_MS);
      await expectRejection(world.completeMfaLogIn.execute({ mfaToken: required.mfaToken, code: code(), origin: ORIGIN }), InvalidMfaLogIn);
    });
  });

  describe('a revert link', () => {
    it('restores the address, removes every second factor, ends every session and mails a reset link', async () => {
      const { world, alice, code } = await aliceWithTotp();
      const required = (await expectRejection(world.logIn.execute({ login: 'alice', password: ALICE.password, origin: ORIGIN }), MfaRequired)) as MfaRequired;
      const { tokens } = await world.completeMfaLogIn.execute({ mfaToken: required.mfaToken, code: code(), origin: ORIGIN });
      const moved = await world.update.execute(await sessionOf(world, tokens.accessToken.token), { email: 'attacker@example.com' });
      expect(moved.email.value).to.equal('attacker@example.com');

      await world.revertEmail.execute(tokenOf(world, 'email_changed', 'alice@example.com'));
      const restored = (await world.users.findById(alice.id))!;
      expect(restored.email.value).to.equal('alice@example.com');
      expect(restored.isVerified).to.equal(true);
      expect(restored.mfaEnabled).to.equal(false);
      expect(await world.factors.find(alice.id)).to.equal(undefined);
      expect(await world.sessions.listOpen(alice.id, world.clock.now())).to.deep.equal([]);
      expect(tokenOf(world, 'reset_password', 'alice@example.com')).to.be.a('string');
      expect(world.outbox.all().map((m) => m.kind)).to.include('two_factor_removed');
      const removals = await world.auditLog.list({ userId: alice.id, type: 'mfa.removed' }, { limit: 10 });
      expect(removals.map((event) => event.details)).to.deep.equal([{ kind: 'totp', reason: 'email_reverted' }]);
    });
  });

  describe('ResetUserSecondFactors', () => {
    it('removes the factor and the codes, mails the user and records admin.mfa_reset', async () => {
      const { world, alice } = await aliceWithTotp();
      await world.register.execute({ email: 'root@example.com', username: 'root', password: 'a superuser passphrase' });
      const root = await world.setSuperuser.execute('root@example.com', true);
      await world.resetUserSecondFactors.execute(fresh(root, world.clock.now()), alice.id, ORIGIN);
      expect((await world.users.findById(alice.id))!.mfaEnabled).to.equal(false);
      expect(await world.factors.remainingRecoveryCodes(alice.id)).to.equal(0);
      expect(world.outbox.all().filter((m) => m.kind === 'two_factor_removed').map((m) => m.to)).to.deep.equal(['alice@example.com']);
      const [event] = await world.auditLog.list({ userId: alice.id, type: 'admin.mfa_reset' }, { limit: 10 });
      expect(event?.actorId).to.equal(root.id);
    });
  });
});
