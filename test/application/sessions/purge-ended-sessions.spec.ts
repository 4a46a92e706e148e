import { expect } from 'chai';
import { PurgeEndedSessions } from '../../../application/index.js';
import { ALICE, ORIGIN, SESSION_POLICY, useCaseWorld } from '../world.js';

describe('PurgeEndedSessions', () => {
  it('forgets sessions a retention period after they ended, not before', async () => {
    const world = useCaseWorld();
    const alice = await world.register.execute(ALICE);
    await world.logIn.execute({ login: 'alice', password: ALICE.password, origin: ORIGIN });
    const [session] = await world.listSessions.execute(alice);
    const purge = new PurgeEndedSessions(world.sessions, world.clock, SESSION_POLICY.refreshTokenTtlMs);

    world.clock.advance(SESSION_POLICY.refreshTokenTtlMs);
    expect(await purge.runBatch(1_000), 'just expired: kept for the retention period').to.equal(0);
    expect(await world.sessions.findWithUser(session!.id)).not.to.equal(undefined);

    world.clock.advance(SESSION_POLICY.refreshTokenTtlMs + 1);
    expect(await purge.runBatch(1_000)).to.equal(1);
    expect(await world.sessions.findWithUser(session!.id)).to.equal(undefined);
  });
});
