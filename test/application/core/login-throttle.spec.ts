import { expect } from 'chai';
import { InvalidCredentials, TooManyLoginAttempts } from '../../../application/index.js';
import { expectRejection } from '../../support/expect-rejection.js';
import { ALICE, LOGIN_LIMITS, useCaseWorld } from '../world.js';

const WRONG = 'not the password';
const from = (ip: string) => ({ ip });

describe('LogIn failure limits', () => {
  it('stops one address after its per-account budget, even with the right password, and says when to retry', async () => {
    const world = useCaseWorld();
    await world.register.execute(ALICE);
    for (let i = 0; i < LOGIN_LIMITS.perAccountAddress.limit; i++) {
      await expectRejection(world.logIn.execute({ login: 'alice', password: WRONG, origin: from('203.0.113.1') }), InvalidCredentials);
    }
    const error = (await expectRejection(world.logIn.execute({ login: 'alice', password: ALICE.password, origin: from('203.0.113.1') }), TooManyLoginAttempts)) as TooManyLoginAttempts;
    expect(error.retryAfterSeconds).to.be.within(1, 15 * 60);
    // Another address still gets in: one attacker does not lock the owner out.
    await world.logIn.execute({ login: 'alice', password: ALICE.password, origin: from('198.51.100.2') });
  });

  it('stops guessing spread over many addresses at the per-account budget', async () => {
    const world = useCaseWorld();
    await world.register.execute(ALICE);
    for (let i = 0; i < LOGIN_LIMITS.perAccount.limit; i++) {
      await expectRejection(world.logIn.execute({ login: i % 2 ? 'alice' : 'alice@example.com', password: WRONG, origin: from(`203.0.113.${i}`) }), InvalidCredentials);
    }
    await expectRejection(world.logIn.execute({ login: 'alice', password: ALICE.password, origin: from('198.51.100.2') }), TooManyLoginAttempts);
    world.hasher.verifications = 0;
    await expectRejection(world.logIn.execute({ login: 'alice', password: WRONG, origin: from('198.51.100.3') }), TooManyLoginAttempts);
    expect(world.hasher.verifications, 'a blocked account costs no bcrypt round').to.equal(0);
    // The window passes and the owner gets in again.
    world.clock.advance(LOGIN_LIMITS.perAccount.windowMs);
    await world.logIn.execute({ login: 'alice', password: ALICE.password, origin: from('198.51.100.2') });
  });

  it('clears the failures on a successful log-in', async () => {
    const world = useCaseWorld();
    await world.register.execute(ALICE);
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < LOGIN_LIMITS.perAccountAddress.limit - 1; i++) {
        await expectRejection(world.logIn.execute({ login: 'alice', password: WRONG, origin: from('203.0.113.1') }), InvalidCredentials);
      }
      await world.logIn.execute({ login: 'alice', password: ALICE.password, origin: from('203.0.113.1') });
    }
  });

  it('limits an unknown login exactly like a known one', async () => {
    const world = useCaseWorld();
    for (let i = 0; i < LOGIN_LIMITS.perAccountAddress.limit; i++) {
      await expectRejection(world.logIn.execute({ login: 'ghost', password: WRONG, origin: from('203.0.113.1') }), InvalidCredentials);
    }
    await expectRejection(world.logIn.execute({ login: 'ghost', password: WRONG, origin: from('203.0.113.1') }), TooManyLoginAttempts);
  });
});
