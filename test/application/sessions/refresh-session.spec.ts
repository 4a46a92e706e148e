import { expect } from 'chai';
import { InvalidRefreshToken, InvalidToken } from '../../../application/index.js';
import { expectRejection } from '../../support/expect-rejection.js';
import { ALICE, ORIGIN, SESSION_POLICY, useCaseWorld } from '../world.js';
import { stale } from '../../support/requester.js';

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

  it('answers two concurrent uses of one token with the same successor, and the session lives on', async () => {
    const { world, tokens } = await aliceLoggedIn();
    const [one, two] = await Promise.all([world.refresh.execute(tokens.refreshToken), world.refresh.execute(tokens.refreshToken)]);
    expect(two.refreshToken).to.equal(one.refreshToken);
    expect((await world.authenticate.execute(two.accessToken.token)).session.revokedAt).to.equal(undefined);
    world.clock.advance(SESSION_POLICY.refreshReuseGraceMs);
    expect((await world.refresh.execute(one.refreshToken)).refreshToken).not.to.equal(one.refreshToken);
  });

  it('gives a retry within the grace the same successor as the first use', async () => {
    const { world, tokens } = await aliceLoggedIn();
    const first = await world.refresh.execute(tokens.refreshToken);
    world.clock.advance(SESSION_POLICY.refreshReuseGraceMs - 1);
    expect((await world.refresh.execute(tokens.refreshToken)).refreshToken).to.equal(first.refreshToken);
  });

  it('ends the whole session when a spent refresh token comes back after the grace (reuse detection)', async () => {
    const { world, tokens } = await aliceLoggedIn();
    const legitimate = await world.refresh.execute(tokens.refreshToken);
    world.clock.advance(SESSION_POLICY.refreshReuseGraceMs);
    await expectRejection(world.refresh.execute(tokens.refreshToken), InvalidRefreshToken);
    // Both the thief's and the real client's tokens are dead now.
    await expectRejection(world.refresh.execute(legitimate.refreshToken), InvalidRefreshToken);
    await expectRejection(world.authenticate.execute(legitimate.accessToken.token), InvalidToken);
  });

  it('ends the whole session when a spent token comes back within the grace after its successor was used', async () => {
    const { world, tokens } = await aliceLoggedIn();
    const second = await world.refresh.execute(tokens.refreshToken);
    const third = await world.refresh.execute(second.refreshToken);
    await expectRejection(world.refresh.execute(tokens.refreshToken), InvalidRefreshToken);
    await expectRejection(world.refresh.execute(third.refreshToken), InvalidRefreshToken);
    await expectRejection(world.authenticate.execute(third.accessToken.token), InvalidToken);
  });

  it('refuses an unknown or expired refresh token', async () => {
    const { world, tokens } = await aliceLoggedIn();
    await expectRejection(world.refresh.execute('not-a-token'), InvalidRefreshToken);
    world.clock.advance(SESSION_POLICY.refreshTokenTtlMs);
    await expectRejection(world.refresh.execute(tokens.refreshToken), InvalidRefreshToken);
  });

  it('refuses after log-out, after a password change, and for an inactive user, even within the grace', async () => {
    const loggedOut = await aliceLoggedIn();
    await loggedOut.world.refresh.execute(loggedOut.tokens.refreshToken);
    await loggedOut.world.logOut.execute(loggedOut.alice, (await loggedOut.world.authenticate.execute(loggedOut.tokens.accessToken.token)).session.id, 'current');
    await expectRejection(loggedOut.world.refresh.execute(loggedOut.tokens.refreshToken), InvalidRefreshToken);

    const changed = await aliceLoggedIn();
    await changed.world.update.execute(stale(changed.alice, changed.world.clock.now()), { password: 'another fine secret', currentPassword: ALICE.password });
    await expectRejection(changed.world.refresh.execute(changed.tokens.refreshToken), InvalidRefreshToken);

    const inactive = await aliceLoggedIn();
    await inactive.world.users.updateWith(inactive.alice.id, (user) => user.withActive(false, new Date()));
    await expectRejection(inactive.world.refresh.execute(inactive.tokens.refreshToken), InvalidRefreshToken);
  });
});
