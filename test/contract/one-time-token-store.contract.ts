import { expect } from 'chai';
import { registeredUser } from './registered-user.js';
import type { OneTimeTokenStore } from '../../application/ports/one-time-token-store.js';
import type { UserRepository } from '../../application/ports/user-repository.js';
import { newOneTimeToken, type User, type OneTimeTokenPurpose } from '../../domain/index.js';

export interface OneTimeTokenStoreUnderTest {
  readonly tokens: OneTimeTokenStore;
  /** The users the tokens belong to live in the same store. */
  readonly users: UserRepository;
  close(): Promise<void>;
}

const T0 = new Date('2026-11-24T10:00:00.000Z');
const HOUR = 3_600_000;
const at = (ms: number) => new Date(T0.getTime() + ms);

/** The same specification for every `OneTimeTokenStore`: memory, PGlite and PostgreSQL. */
export function oneTimeTokenStoreContract(name: string, factory: () => Promise<OneTimeTokenStoreUnderTest>): void {
  describe(`${name} (OneTimeTokenStore contract)`, function () {
    let world: OneTimeTokenStoreUnderTest;
    beforeEach(async () => {
      world = await factory();
    });
    afterEach(async () => world.close());

    const aUser = () => registeredUser(world.users, T0, 't');

    async function aToken(user: User, purpose: OneTimeTokenPurpose = 'reset_password', lifetimeMs = HOUR) {
      const issued = newOneTimeToken({ purpose, userId: user.id, email: user.email, createdAt: T0, expiresAt: at(lifetimeMs) });
      await world.tokens.add(issued.record);
      return issued.record;
    }

    it('finds a token by hash and purpose, fields intact, without using it up', async () => {
      const user = await aUser();
      const token = await aToken(user, 'verify_email');
      expect(await world.tokens.find(token.hash, ['verify_email'], at(1))).to.deep.equal(token);
      expect(await world.tokens.find(token.hash, ['verify_email'], at(1))).to.deep.equal(token);
    });

    it('gives a token to one consumer only', async () => {
      const user = await aUser();
      const token = await aToken(user);
      expect(await world.tokens.consume(token.hash, ['reset_password'], at(1))).to.deep.equal(token);
      expect(await world.tokens.consume(token.hash, ['reset_password'], at(2))).to.equal(undefined);
      expect(await world.tokens.find(token.hash, ['reset_password'], at(2))).to.equal(undefined);
    });

    it('lets exactly one of many concurrent consumers win', async () => {
      const user = await aUser();
      const token = await aToken(user);
      const results = await Promise.all(Array.from({ length: 8 }, () => world.tokens.consume(token.hash, ['reset_password'], at(1))));
      expect(results.filter((result) => result !== undefined)).to.have.lengthOf(1);
    });

    it('refuses a token for another purpose, once expired, and an unknown hash', async () => {
      const user = await aUser();
      const token = await aToken(user, 'verify_email');
      expect(await world.tokens.consume(token.hash, ['reset_password', 'revert_email'], at(1))).to.equal(undefined);
      expect(await world.tokens.consume(token.hash, ['verify_email'], at(HOUR))).to.equal(undefined);
      expect(await world.tokens.consume('0'.repeat(64), ['verify_email'], at(1))).to.equal(undefined);
      expect(await world.tokens.consume(token.hash, [], at(1))).to.equal(undefined);
    });

    it('voids the usable tokens of one user and of the purposes named, and no others', async () => {
      const user = await aUser();
      const other = await aUser();
      const reset = await aToken(user, 'reset_password');
      const verify = await aToken(user, 'verify_email');
      const revert = await aToken(user, 'revert_email');
      const othersReset = await aToken(other, 'reset_password');

      expect(await world.tokens.voidAll(user.id, ['reset_password', 'verify_email'], at(1))).to.equal(2);

      expect(await world.tokens.consume(reset.hash, ['reset_password'], at(2))).to.equal(undefined);
      expect(await world.tokens.consume(verify.hash, ['verify_email'], at(2))).to.equal(undefined);
      expect(await world.tokens.consume(revert.hash, ['revert_email'], at(2))).to.deep.equal(revert);
      expect(await world.tokens.consume(othersReset.hash, ['reset_password'], at(2))).to.deep.equal(othersReset);
      expect(await world.tokens.voidAll('not-a-uuid', ['reset_password'], at(2))).to.equal(0);
    });

    it('purges tokens that expired or ended before a time, and keeps the rest', async () => {
      const user = await aUser();
      const short = await aToken(user, 'reset_password', HOUR);
      const used = await aToken(user, 'verify_email', 48 * HOUR);
      const live = await aToken(user, 'revert_email', 48 * HOUR);
      await world.tokens.consume(used.hash, ['verify_email'], at(1));

      expect(await world.tokens.purgeEnded(at(2 * HOUR), 1_000)).to.be.at.least(2);

      expect(await world.tokens.find(live.hash, ['revert_email'], at(3 * HOUR))).to.deep.equal(live);
      expect(await world.tokens.find(short.hash, ['reset_password'], at(1))).to.equal(undefined);
    });
  });
}
