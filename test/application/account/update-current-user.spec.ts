import { expect } from 'chai';
import {
  FreshAuthenticationRequired,
  EmailTaken,
  InvalidEmail,
  InvalidToken,
  TooManyLoginAttempts,
  UsernameTaken,
  WeakPassword,
  WrongCurrentPassword,
} from '../../../application/index.js';
import { expectRejection } from '../../support/expect-rejection.js';
import { ALICE, LOGIN_LIMITS, ORIGIN, useCaseWorld } from '../world.js';
import { fresh, stale } from '../../support/requester.js';

describe('UpdateCurrentUser', () => {
  it('changes email and username and keeps the token version', async () => {
    const world = useCaseWorld();
    const alice = await world.register.execute(ALICE);
    world.clock.advance(1000);
    const updated = await world.update.execute(fresh(alice, world.clock.now()), { email: 'NEW@example.com', username: 'Alicia' });
    expect(updated.email.value).to.equal('new@example.com');
    expect(updated.username.value).to.equal('Alicia');
    expect(updated.tokenVersion).to.equal(0);
    expect(updated.updatedAt.getTime() - alice.updatedAt.getTime()).to.equal(1000);
    expect(await world.users.findById(alice.id)).to.equal(updated);
  });

  it('changes the password with the current one and bumps the token version', async () => {
    const world = useCaseWorld();
    const alice = await world.register.execute(ALICE);
    const updated = await world.update.execute(stale(alice, world.clock.now()), { password: 'an even longer secret', currentPassword: ALICE.password });
    expect(updated.passwordHash).to.equal('hashed:an even longer secret');
    expect(updated.tokenVersion).to.equal(1);
  });

  it('needs the current password, or a fresh session, to change the password', async () => {
    const world = useCaseWorld();
    const alice = await world.register.execute(ALICE);
    await expectRejection(world.update.execute(stale(alice, world.clock.now()), { password: 'an even longer secret' }), FreshAuthenticationRequired);
    await expectRejection(world.update.execute(stale(alice, world.clock.now()), { password: 'an even longer secret', currentPassword: 'nope' }), WrongCurrentPassword);
    expect((await world.users.findById(alice.id))!.passwordHash).to.equal(alice.passwordHash);
  });

  it('counts a wrong current password against the account, so a stolen access token buys no unlimited guesses', async () => {
    const world = useCaseWorld();
    const alice = await world.register.execute(ALICE);
    for (let i = 0; i < LOGIN_LIMITS.perAccountAddress.limit; i++) {
      await expectRejection(world.update.execute(stale(alice, world.clock.now()), { password: 'a new long password', currentPassword: `guess ${i}` }, ORIGIN), WrongCurrentPassword);
    }
    await expectRejection(world.update.execute(stale(alice, world.clock.now()), { password: 'a new long password', currentPassword: ALICE.password }, ORIGIN), TooManyLoginAttempts);
    await expectRejection(world.logIn.execute({ login: 'alice', password: ALICE.password, origin: ORIGIN }), TooManyLoginAttempts);
  });

  it('checks the new password against the new username', async () => {
    const world = useCaseWorld();
    const alice = await world.register.execute(ALICE);
    await expectRejection(
      world.update.execute(stale(alice, world.clock.now()), { username: 'zebra', password: 'my zebra password', currentPassword: ALICE.password }),
      WeakPassword,
    );
  });

  it('refuses values another user holds, and invalid values, changing nothing', async () => {
    const world = useCaseWorld();
    await world.register.execute({ ...ALICE, email: 'bob@example.com', username: 'bob' });
    const alice = await world.register.execute(ALICE);
    await expectRejection(world.update.execute(fresh(alice, world.clock.now()), { email: 'BOB@example.com' }), EmailTaken);
    await expectRejection(world.update.execute(fresh(alice, world.clock.now()), { username: 'BOB' }), UsernameTaken);
    await expectRejection(world.update.execute(fresh(alice, world.clock.now()), { email: 'not an email' }), InvalidEmail);
    expect(await world.users.findById(alice.id)).to.equal(alice);
  });

  it('writes nothing when nothing is asked', async () => {
    const world = useCaseWorld();
    const alice = await world.register.execute(ALICE);
    world.users.update = async () => expect.fail('no write expected');
    expect(await world.update.execute(fresh(alice, world.clock.now()), {})).to.equal(alice);
  });

  it('answers InvalidToken when the user vanished meanwhile', async () => {
    const world = useCaseWorld();
    const alice = await world.register.execute(ALICE);
    await world.users.remove(alice.id);
    await expectRejection(world.update.execute(fresh(alice, world.clock.now()), { username: 'ghost' }), InvalidToken);
  });
});
