import { expect } from 'chai';
import { InactiveUser, InvalidCredentials } from '../../../application/index.js';
import { expectRejection } from '../../support/expect-rejection.js';
import { ALICE, ORIGIN, useCaseWorld } from '../world.js';

describe('LogIn', () => {
  it('issues a token for the username, in any case', async () => {
    const world = useCaseWorld();
    const alice = await world.register.execute(ALICE);
    const { user, tokens: { accessToken } } = await world.logIn.execute({ login: 'alice', password: ALICE.password, origin: ORIGIN });
    expect(user.id).to.equal(alice.id);
    expect(await world.tokens.verify(accessToken.token)).to.deep.include({ userId: alice.id, tokenVersion: 0 });
    const [session] = await world.listSessions.execute(alice);
    expect(session).to.deep.include({ userId: alice.id, ip: ORIGIN.ip, userAgent: ORIGIN.userAgent });
  });

  it('issues a token for the email, in any case', async () => {
    const world = useCaseWorld();
    await world.register.execute(ALICE);
    const { user } = await world.logIn.execute({ login: ' ALICE@example.com', password: ALICE.password, origin: ORIGIN });
    expect(user.username.value).to.equal('Alice');
  });

  it('accepts the password in another Unicode normal form', async () => {
    const world = useCaseWorld();
    await world.register.execute({ ...ALICE, password: 'café au lait!' });
    await world.logIn.execute({ login: 'alice', password: 'cafe\u0301 au lait!', origin: ORIGIN });
  });

  describe('runs exactly one password verification', () => {
    const cases: [string, string, string][] = [
      ['for the right password', 'alice', ALICE.password],
      ['for a wrong password', 'alice', 'wrong password!'],
      ['for an unknown username', 'nobody', ALICE.password],
      ['for an unknown email', 'nobody@example.com', ALICE.password],
      ['for a login no account could have', 'not a valid login', ALICE.password],
      ['for a password over 72 bytes', 'alice', 'x'.repeat(100)],
    ];
    for (const [what, login, password] of cases) {
      it(what, async () => {
        const world = useCaseWorld();
        await world.register.execute(ALICE);
        const hashesBefore = world.hasher.hashes;
        world.hasher.verifications = 0;
        await world.logIn.execute({ login, password, origin: ORIGIN }).catch(() => undefined);
        expect(world.hasher.verifications).to.equal(1);
        // The dummy hash for unknown users is made once, not per request.
        expect(world.hasher.hashes - hashesBefore).to.be.at.most(1);
      });
    }
  });

  it('answers a wrong password and an unknown user with the same error', async () => {
    const world = useCaseWorld();
    await world.register.execute(ALICE);
    const wrong = await expectRejection(world.logIn.execute({ login: 'alice', password: 'wrong password!', origin: ORIGIN }), InvalidCredentials);
    const unknown = await expectRejection(world.logIn.execute({ login: 'nobody', password: 'x', origin: ORIGIN }), InvalidCredentials);
    expect(wrong.message).to.equal(unknown.message);
  });

  it('hashes the dummy password once for all unknown users', async () => {
    const world = useCaseWorld();
    await world.logIn.execute({ login: 'nobody', password: 'x', origin: ORIGIN }).catch(() => undefined);
    await world.logIn.execute({ login: 'nobody2', password: 'x', origin: ORIGIN }).catch(() => undefined);
    expect(world.hasher.hashes).to.equal(1);
  });

  it('refuses a password whose first 72 bytes match, as bcrypt alone would accept', async () => {
    const world = useCaseWorld();
    const password = 'y'.repeat(72);
    await world.register.execute({ ...ALICE, password });
    // The counting hasher, unlike bcrypt, compares everything; make it behave like bcrypt for this case.
    world.hasher.verify = async (candidate, hash) => hash === `hashed:${candidate.slice(0, 72)}`;
    await expectRejection(world.logIn.execute({ login: 'alice', password: `${password}tail`, origin: ORIGIN }), InvalidCredentials);
  });

  it('tells an inactive account apart only when the password is right', async () => {
    const world = useCaseWorld();
    const alice = await world.register.execute(ALICE);
    await world.users.updateWith(alice.id, (user) => user.withActive(false, new Date()));
    await expectRejection(world.logIn.execute({ login: 'alice', password: 'wrong password!', origin: ORIGIN }), InvalidCredentials);
    await expectRejection(world.logIn.execute({ login: 'alice', password: ALICE.password, origin: ORIGIN }), InactiveUser);
  });

  it('lets a store failure through rather than calling it bad credentials', async () => {
    const world = useCaseWorld();
    world.users.findByUsername = async () => {
      throw new Error('connection refused');
    };
    await expectRejection(world.logIn.execute({ login: 'alice', password: 'x', origin: ORIGIN }), Error).then((e) => expect(e.message).to.equal('connection refused'));
  });
});
