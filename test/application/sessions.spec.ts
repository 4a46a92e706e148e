import { expect } from 'chai';
import { InvalidRefreshToken, InvalidToken, SessionNotFound } from '../../application/index.js';
import { expectRejection } from '../support/expect-rejection.js';
import { ALICE, ORIGIN, SESSION_POLICY, useCaseWorld } from './world.js';

async function aliceLoggedIn() {
  const world = useCaseWorld();
  const alice = await world.register.execute(ALICE);
  const { tokens } = await world.logIn.execute({ login: 'alice', password: ALICE.password, origin: ORIGIN });
  return { world, alice, tokens };
}

describe('RefreshSession', () => {
  it('trades a refresh token for a new pair in the same session, and spends the old one', async () => {
    const { world, tokens } = await aliceLoggedIn();
    world.clock.advance(60_000);
    const next = await world.refresh.execute(tokens.refreshToken);
    expect(next.refreshToken).not.to.equal(tokens.refreshToken);
    expect(next.refreshExpiresIn).to.equal(SESSION_POLICY.refreshTokenTtlMs / 1000);
    const before = await world.authenticate.execute(tokens.accessToken.token);
    const after = await world.authenticate.execute(next.accessToken.token);
    expect(after.session.id).to.equal(before.session.id);
    expect(after.session.lastUsedAt).to.deep.equal(world.clock.now());
  });

  it('revokes the whole session when a spent refresh token comes back (reuse detection)', async () => {
    const { world, tokens } = await aliceLoggedIn();
    const legitimate = await world.refresh.execute(tokens.refreshToken);
    await expectRejection(world.refresh.execute(tokens.refreshToken), InvalidRefreshToken);
    // Both the thief's and the real client's tokens are dead now.
    await expectRejection(world.refresh.execute(legitimate.refreshToken), InvalidRefreshToken);
    await expectRejection(world.authenticate.execute(legitimate.accessToken.token), InvalidToken);
  });

  it('lets only one of two concurrent uses of a token rotate it', async () => {
    const { world, tokens } = await aliceLoggedIn();
    const results = await Promise.allSettled([world.refresh.execute(tokens.refreshToken), world.refresh.execute(tokens.refreshToken)]);
    expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
  });

  it('refuses an unknown or expired refresh token', async () => {
    const { world, tokens } = await aliceLoggedIn();
    await expectRejection(world.refresh.execute('not-a-token'), InvalidRefreshToken);
    world.clock.advance(SESSION_POLICY.refreshTokenTtlMs);
    await expectRejection(world.refresh.execute(tokens.refreshToken), InvalidRefreshToken);
  });

  it('refuses after log-out, after a password change, and for an inactive user', async () => {
    const loggedOut = await aliceLoggedIn();
    await loggedOut.world.logOut.execute(loggedOut.alice, (await loggedOut.world.authenticate.execute(loggedOut.tokens.accessToken.token)).session.id, 'current');
    await expectRejection(loggedOut.world.refresh.execute(loggedOut.tokens.refreshToken), InvalidRefreshToken);

    const changed = await aliceLoggedIn();
    await changed.world.update.execute(changed.alice, { password: 'another fine secret', currentPassword: ALICE.password });
    await expectRejection(changed.world.refresh.execute(changed.tokens.refreshToken), InvalidRefreshToken);

    const inactive = await aliceLoggedIn();
    await inactive.world.users.updateWith(inactive.alice.id, (user) => user.withActive(false, new Date()));
    await expectRejection(inactive.world.refresh.execute(inactive.tokens.refreshToken), InvalidRefreshToken);
  });
});

describe('LogOut, ListSessions and EndSession', () => {
  it('ends the current session only, and its access token with it', async () => {
    const { world, alice, tokens } = await aliceLoggedIn();
    const other = (await world.logIn.execute({ login: 'alice', password: ALICE.password, origin: ORIGIN })).tokens;
    const { session } = await world.authenticate.execute(tokens.accessToken.token);
    await world.logOut.execute(alice, session.id, 'current');
    await expectRejection(world.authenticate.execute(tokens.accessToken.token), InvalidToken);
    expect((await world.authenticate.execute(other.accessToken.token)).user.id).to.equal(alice.id);
  });

  it('ends every session with scope all', async () => {
    const { world, alice, tokens } = await aliceLoggedIn();
    const other = (await world.logIn.execute({ login: 'alice', password: ALICE.password, origin: ORIGIN })).tokens;
    const { session } = await world.authenticate.execute(tokens.accessToken.token);
    await world.logOut.execute(alice, session.id, 'all');
    await expectRejection(world.authenticate.execute(other.accessToken.token), InvalidToken);
    expect(await world.listSessions.execute(alice)).to.deep.equal([]);
  });

  it('lists open sessions newest first and ends one by id', async () => {
    const { world, alice } = await aliceLoggedIn();
    world.clock.advance(1000);
    const second = (await world.logIn.execute({ login: 'alice', password: ALICE.password, origin: { ip: '198.51.100.7' } })).tokens;
    const listed = await world.listSessions.execute(alice);
    expect(listed.map((s) => s.ip)).to.deep.equal(['198.51.100.7', ORIGIN.ip]);
    await world.endSession.execute(alice, listed[1]!.id);
    expect((await world.listSessions.execute(alice)).map((s) => s.id)).to.deep.equal([listed[0]!.id]);
    expect((await world.authenticate.execute(second.accessToken.token)).session.id).to.equal(listed[0]!.id);
  });

  it("refuses to end a session that is not the user's, or not open", async () => {
    const { world, alice } = await aliceLoggedIn();
    const bob = await world.register.execute({ email: 'bob@example.com', username: 'bob', password: 'hunter-two-secret' });
    await world.logIn.execute({ login: 'bob', password: 'hunter-two-secret', origin: ORIGIN });
    const [bobSession] = await world.listSessions.execute(bob);
    await expectRejection(world.endSession.execute(alice, bobSession!.id), SessionNotFound);
    await world.endSession.execute(bob, bobSession!.id);
    await expectRejection(world.endSession.execute(bob, bobSession!.id), SessionNotFound);
  });

  it('does not list expired sessions', async () => {
    const { world, alice } = await aliceLoggedIn();
    world.clock.advance(SESSION_POLICY.refreshTokenTtlMs);
    expect(await world.listSessions.execute(alice)).to.deep.equal([]);
  });
});
