import { expect } from 'chai';
import { InvalidToken, SessionNotFound } from '../../../application/index.js';
import { expectRejection } from '../../support/expect-rejection.js';
import { ALICE, ORIGIN, SESSION_POLICY, useCaseWorld } from '../world.js';

async function aliceLoggedIn() {
  const world = useCaseWorld();
  const alice = await world.register.execute(ALICE);
  const { tokens } = await world.logIn.execute({ login: 'alice', password: ALICE.password, origin: ORIGIN });
  return { world, alice, tokens };
}

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
