import { expect } from 'chai';
import { EmailTaken, InvalidEmail, InvalidUsername, UsernameTaken, WeakPassword } from '../../../application/index.js';
import { expectRejection } from '../../support/expect-rejection.js';
import { ALICE, useCaseWorld } from '../world.js';

describe('RegisterUser', () => {
  it('stores a new active user with a normalized email and a hashed password', async () => {
    const world = useCaseWorld();
    const user = await world.register.execute(ALICE);
    expect(user.email.value).to.equal('alice@example.com');
    expect(user.username.value).to.equal('Alice');
    expect(user.passwordHash).to.equal(`hashed:${ALICE.password}`);
    expect(user.createdAt).to.deep.equal(world.clock.now());
    expect(await world.users.findById(user.id)).to.equal(user);
  });

  it('hashes the NFKC form of the password', async () => {
    const world = useCaseWorld();
    const user = await world.register.execute({ ...ALICE, password: 'ｆｕｌｌ-ｗｉｄｔｈ-pass' });
    expect(user.passwordHash).to.equal('hashed:full-width-pass');
  });

  it('refuses an email that differs only in case', async () => {
    const world = useCaseWorld();
    await world.register.execute(ALICE);
    await expectRejection(world.register.execute({ ...ALICE, username: 'bob', email: 'ALICE@example.COM' }), EmailTaken);
  });

  it('refuses a username that differs only in case', async () => {
    const world = useCaseWorld();
    await world.register.execute(ALICE);
    await expectRejection(world.register.execute({ ...ALICE, email: 'bob@example.com', username: 'ALICE' }), UsernameTaken);
  });

  it('refuses bad input before hashing anything', async () => {
    const world = useCaseWorld();
    await expectRejection(world.register.execute({ ...ALICE, email: 'nope' }), InvalidEmail);
    await expectRejection(world.register.execute({ ...ALICE, username: 'a b' }), InvalidUsername);
    await expectRejection(world.register.execute({ ...ALICE, password: 'password123' }), WeakPassword);
    expect(world.hasher.hashes).to.equal(0);
  });
});
