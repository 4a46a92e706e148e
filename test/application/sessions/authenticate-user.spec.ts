import { expect } from 'chai';
import { InvalidToken } from '../../../application/index.js';
import { expectRejection } from '../../support/expect-rejection.js';
import { ALICE, ORIGIN, useCaseWorld } from '../world.js';

describe('AuthenticateUser', () => {
  it('returns the user a valid token names', async () => {
    const world = useCaseWorld();
    const alice = await world.register.execute(ALICE);
    const { tokens: { accessToken } } = await world.logIn.execute({ login: 'alice', password: ALICE.password, origin: ORIGIN });
    expect((await world.authenticate.execute(accessToken.token)).user.id).to.equal(alice.id);
  });

  it('refuses a token the issuer refuses', async () => {
    await expectRejection(useCaseWorld().authenticate.execute('garbage'), InvalidToken);
  });

  it('refuses a token whose user is gone', async () => {
    const world = useCaseWorld();
    const alice = await world.register.execute(ALICE);
    const { tokens: { accessToken } } = await world.logIn.execute({ login: 'alice', password: ALICE.password, origin: ORIGIN });
    await world.users.remove(alice.id);
    await expectRejection(world.authenticate.execute(accessToken.token), InvalidToken);
  });

  it('refuses a token issued before the token version changed', async () => {
    const world = useCaseWorld();
    const alice = await world.register.execute(ALICE);
    const { tokens: { accessToken } } = await world.logIn.execute({ login: 'alice', password: ALICE.password, origin: ORIGIN });
    await world.users.update(alice.withPassword('other', world.clock.now()));
    await expectRejection(world.authenticate.execute(accessToken.token), InvalidToken);
  });

  it('refuses a token of a deactivated user', async () => {
    const world = useCaseWorld();
    const alice = await world.register.execute(ALICE);
    const { tokens: { accessToken } } = await world.logIn.execute({ login: 'alice', password: ALICE.password, origin: ORIGIN });
    await world.users.updateWith(alice.id, (user) => user.withActive(false, new Date()));
    await expectRejection(world.authenticate.execute(accessToken.token), InvalidToken);
  });
});
