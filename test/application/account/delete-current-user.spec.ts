import { expect } from 'chai';
import { InvalidToken } from '../../../application/index.js';
import { expectRejection } from '../../support/expect-rejection.js';
import { ALICE, useCaseWorld } from '../world.js';
import { fresh } from '../../support/requester.js';

describe('DeleteCurrentUser', () => {
  it('removes the user and frees the email and username', async () => {
    const world = useCaseWorld();
    const alice = await world.register.execute(ALICE);
    await world.remove.execute(fresh(alice, world.clock.now()));
    expect(await world.users.findById(alice.id)).to.equal(undefined);
    await world.register.execute(ALICE);
  });

  it('answers InvalidToken when the user was already gone', async () => {
    const world = useCaseWorld();
    const alice = await world.register.execute(ALICE);
    await world.remove.execute(fresh(alice, world.clock.now()));
    await expectRejection(world.remove.execute(fresh(alice, world.clock.now())), InvalidToken);
  });
});
