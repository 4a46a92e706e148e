import { expect } from 'chai';
import { InvalidCredentials, InvalidRefreshToken, TooManyLoginAttempts, type AuditEvent, type AuditEventType, type User } from '../../../application/index.js';
import { expectRejection } from '../../support/expect-rejection.js';
import { ALICE, LOGIN_LIMITS, ORIGIN, useCaseWorld } from '../world.js';
import { fresh, stale } from '../../support/requester.js';

type World = ReturnType<typeof useCaseWorld>;

/** The whole history, oldest first. */
async function history(world: World): Promise<AuditEvent[]> {
  return (await world.auditLog.list({}, { limit: 1000 })).reverse();
}

async function lastOf(world: World, type: AuditEventType): Promise<AuditEvent> {
  const [event] = await world.auditLog.list({ type }, { limit: 1 });
  expect(event, `a ${type} event`).not.to.equal(undefined);
  return event!;
}

async function registered(): Promise<{ world: World; alice: User }> {
  const world = useCaseWorld();
  const alice = await world.register.execute(ALICE);
  world.clock.advance(1);
  return { world, alice };
}

describe('the security history the use cases record', () => {
  it('user.registered: the account, acting for itself', async () => {
    const { world, alice } = await registered();
    expect(await lastOf(world, 'user.registered')).to.deep.include({ userId: alice.id, actorId: alice.id, at: new Date(world.clock.now().getTime() - 1) });
  });

  describe('LogIn', () => {
    it('login.succeeded with the address and user agent of the request, and amr pwd', async () => {
      const { world, alice } = await registered();
      await world.logIn.execute({ login: 'alice', password: ALICE.password, origin: ORIGIN });
      expect(await lastOf(world, 'login.succeeded')).to.deep.include({ userId: alice.id, actorId: alice.id, ip: ORIGIN.ip, userAgent: ORIGIN.userAgent });
      expect((await lastOf(world, 'login.succeeded'))!.details).to.deep.equal({ amr: ['pwd'] });
    });

    it('login.failed for a known account names it but no actor; never the password tried', async () => {
      const { world, alice } = await registered();
      await expectRejection(world.logIn.execute({ login: 'alice', password: 'not her password at all', origin: ORIGIN }), InvalidCredentials);
      const event = await lastOf(world, 'login.failed');
      expect(event).to.deep.include({ userId: alice.id, actorId: null, ip: ORIGIN.ip, userAgent: ORIGIN.userAgent });
      expect(event.details).to.deep.equal({ username: 'Alice' });
      expect(JSON.stringify(event)).not.to.include('not her password');
    });

    it('login.failed for an unknown name: no account, and not the text typed, which may be a password', async () => {
      const { world } = await registered();
      await expectRejection(world.logIn.execute({ login: 'Hunter2-typed-here', password: 'whatever it is', origin: ORIGIN }), InvalidCredentials);
      const event = await lastOf(world, 'login.failed');
      expect(event).to.deep.include({ userId: null, actorId: null, ip: ORIGIN.ip });
      expect(event.details).to.deep.equal({ reason: 'unknown_account' });
      expect(JSON.stringify(event)).not.to.match(/Hunter2|whatever/);
    });

    it('login.failed with reason inactive when the password was right but the account is off', async () => {
      const world = useCaseWorld();
      await world.ensureFirstSuperuser.execute({ email: 'root@example.com', username: 'root', password: 'the operators own long secret' });
      const [root] = await world.users.list({ prefix: 'root@', limit: 1 });
      const alice = await world.register.execute(ALICE);
      await world.updateUser.execute(fresh(root!, world.clock.now()), alice.id, { isActive: false });
      await expectRejection(world.logIn.execute({ login: 'alice', password: ALICE.password, origin: ORIGIN }), Error);
      expect((await lastOf(world, 'login.failed')).details).to.deep.equal({ username: 'Alice', reason: 'inactive' });
    });

    it('login.throttled once the failure budget is spent, for each refused attempt', async () => {
      const { world, alice } = await registered();
      for (let i = 0; i < LOGIN_LIMITS.perAccountAddress.limit; i += 1) {
        await expectRejection(world.logIn.execute({ login: 'alice', password: 'wrong guess', origin: ORIGIN }), InvalidCredentials);
      }
      await expectRejection(world.logIn.execute({ login: 'alice', password: ALICE.password, origin: ORIGIN }), TooManyLoginAttempts);
      await expectRejection(world.logIn.execute({ login: 'alice', password: 'wrong guess', origin: ORIGIN }), TooManyLoginAttempts);

      const types = (await history(world)).map((event) => event.type);
      expect(types.filter((type) => type === 'login.failed')).to.have.length(LOGIN_LIMITS.perAccountAddress.limit);
      expect(types.filter((type) => type === 'login.throttled')).to.have.length(2);
      expect(await lastOf(world, 'login.throttled')).to.deep.include({ userId: alice.id, actorId: null, ip: ORIGIN.ip });
    });
  });

  describe('UpdateCurrentUser', () => {
    it('password.changed and email.changed, each only when that changed', async () => {
      const { world, alice } = await registered();
      await world.update.execute(fresh(alice, world.clock.now()), { username: 'alice2' });
      expect((await history(world)).map((event) => event.type)).to.deep.equal(['user.registered']);

      world.clock.advance(1);
      const changed = await world.update.execute(stale(alice, world.clock.now()), { password: 'a brand new long secret', currentPassword: ALICE.password });
      world.clock.advance(1);
      await world.update.execute(fresh(changed, world.clock.now()), { email: 'alice@new.example.com' });

      expect((await history(world)).map((event) => event.type)).to.deep.equal(['user.registered', 'password.changed', 'email.changed']);
      expect(await lastOf(world, 'password.changed')).to.deep.include({ userId: alice.id, actorId: alice.id, details: {} });
      expect((await lastOf(world, 'email.changed')).details).to.deep.equal({ previous_email: 'alice@example.com', email: 'alice@new.example.com' });
    });
  });

  describe('sessions', () => {
    it('session.ended by LogOut (current or all) and EndSession, naming the session or the count', async () => {
      const { world, alice } = await registered();
      const login = () => world.logIn.execute({ login: 'alice', password: ALICE.password, origin: ORIGIN });
      const first = await login();
      const second = await login();
      await login();
      const current = (await world.authenticate.execute(first.tokens.accessToken.token)).session;

      // Event ids order by time first: a tick between events keeps "the last one" well defined.
      world.clock.advance(1);
      await world.logOut.execute(alice, current.id, 'current');
      expect((await lastOf(world, 'session.ended')).details).to.deep.equal({ scope: 'current', session_id: current.id });
      const secondId = (await world.authenticate.execute(second.tokens.accessToken.token)).session.id;
      world.clock.advance(1);
      await world.endSession.execute(alice, secondId);
      expect((await lastOf(world, 'session.ended')).details).to.deep.equal({ scope: 'one', session_id: secondId });
      world.clock.advance(1);
      await world.logOut.execute(alice, current.id, 'all');
      expect((await lastOf(world, 'session.ended')).details).to.deep.equal({ scope: 'all', sessions: 1 });

      // Nothing left to end: nothing to record.
      await world.logOut.execute(alice, current.id, 'all');
      expect((await history(world)).filter((event) => event.type === 'session.ended')).to.have.length(3);
    });

    it('refresh.reuse_detected when a spent refresh token comes back after the grace, with no actor', async () => {
      const { world, alice } = await registered();
      const { tokens } = await world.logIn.execute({ login: 'alice', password: ALICE.password, origin: ORIGIN });
      const sessionId = (await world.authenticate.execute(tokens.accessToken.token)).session.id;
      await world.refresh.execute(tokens.refreshToken);
      world.clock.advance(60_000);

      await expectRejection(world.refresh.execute(tokens.refreshToken), InvalidRefreshToken);

      expect(await lastOf(world, 'refresh.reuse_detected')).to.deep.include({ userId: alice.id, actorId: null, details: { session_id: sessionId } });
      expect((await history(world)).filter((event) => event.type === 'refresh.reuse_detected')).to.have.length(1);
    });

    it('records no reuse for a rotation, a retry within the grace, or an unknown token', async () => {
      const { world } = await registered();
      const { tokens } = await world.logIn.execute({ login: 'alice', password: ALICE.password, origin: ORIGIN });
      await world.refresh.execute(tokens.refreshToken);
      await world.refresh.execute(tokens.refreshToken);
      await expectRejection(world.refresh.execute('never-issued'), InvalidRefreshToken);
      expect((await history(world)).map((event) => event.type)).not.to.include('refresh.reuse_detected');
    });
  });

  it('user.deleted by the user themself: the history outlives the account', async () => {
    const { world, alice } = await registered();
    await world.remove.execute(fresh(alice, world.clock.now()));
    expect(await lastOf(world, 'user.deleted')).to.deep.include({ userId: alice.id, actorId: alice.id, details: { username: 'Alice' } });
  });

  it('never holds a password, a hash or a token, through log-in, password change and an administrator update', async () => {
    const world = useCaseWorld();
    const root = { email: 'root@example.com', username: 'root', password: 'the operators own long secret' };
    await world.ensureFirstSuperuser.execute(root);
    const [admin] = await world.users.list({ prefix: 'root@', limit: 1 });
    const alice = await world.register.execute(ALICE);
    const secrets = [root.password, ALICE.password, admin!.passwordHash, alice.passwordHash];

    await expectRejection(world.logIn.execute({ login: 'alice', password: 'a wrong guess of hers', origin: ORIGIN }), InvalidCredentials);
    secrets.push('a wrong guess of hers');
    const first = await world.logIn.execute({ login: 'alice', password: ALICE.password, origin: ORIGIN });
    secrets.push(first.tokens.accessToken.token, first.tokens.refreshToken);
    const rotated = await world.refresh.execute(first.tokens.refreshToken);
    secrets.push(rotated.accessToken.token, rotated.refreshToken);
    const changed = await world.update.execute(stale(alice, world.clock.now()), { password: 'her second long secret', currentPassword: ALICE.password });
    secrets.push('her second long secret', changed.passwordHash);
    const updated = await world.updateUser.execute(fresh(admin!, world.clock.now()), alice.id, { password: 'set by the administrator', isSuperuser: true }, ORIGIN);
    secrets.push('set by the administrator', updated.passwordHash);
    await world.setSuperuser.execute(ALICE.email, false);

    const events = await history(world);
    expect(events.map((event) => event.type)).to.include.members(['user.registered', 'login.failed', 'login.succeeded', 'password.changed', 'admin.user_updated']);
    for (const event of events) {
      const text = JSON.stringify(event);
      for (const secret of secrets) expect(text, `${event.type} holds a secret`).not.to.include(secret);
    }
  });
});
