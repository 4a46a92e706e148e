import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import type { MfaChallengeStore } from '../../application/ports/mfa-challenge-store.js';
import type { UserRepository } from '../../application/ports/user-repository.js';
import { Email, hashMfaToken, MfaChallenge, newUserId, User, Username } from '../../domain/index.js';

export interface MfaChallengeStoreUnderTest {
  readonly challenges: MfaChallengeStore;
  /** The same store as another instance of the service sees it; the same object in memory. */
  readonly otherInstance: MfaChallengeStore;
  readonly users: UserRepository;
  close(): Promise<void>;
}

const T0 = new Date('2026-11-24T10:00:00.000Z');

/** The same specification for every `MfaChallengeStore`: run unchanged on memory, PGlite and PostgreSQL. */
export function mfaChallengeStoreContract(name: string, factory: () => Promise<MfaChallengeStoreUnderTest>): void {
  describe(`${name} (MfaChallengeStore contract)`, function () {
    let world: MfaChallengeStoreUnderTest;
    beforeEach(async () => {
      world = await factory();
    });
    afterEach(async () => world.close());

    async function aChallenge(now = T0) {
      const tag = randomBytes(5).toString('hex');
      const user = User.register({ id: newUserId(T0), email: Email.parse(`m-${tag}@example.com`), username: Username.parse(`m_${tag}`), passwordHash: 'h', now: T0 });
      await world.users.add(user);
      const issued = MfaChallenge.issue({ userId: user.id, tokenVersion: 0, ip: '203.0.113.7', now });
      await world.challenges.add(issued.challenge);
      return issued;
    }

    it('counts each attempt and returns the challenge as it then stands, fields intact', async () => {
      const { challenge, token } = await aChallenge();
      expect(await world.challenges.attempt(hashMfaToken(token))).to.deep.equal(new MfaChallenge({ ...challenge, attempts: 1 }));
      expect((await world.otherInstance.attempt(challenge.tokenHash))?.attempts).to.equal(2);
    });

    it('counts every one of concurrent attempts', async () => {
      const { challenge } = await aChallenge();
      const counts = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? world.challenges : world.otherInstance).attempt(challenge.tokenHash)));
      expect(counts.map((c) => c?.attempts).sort((a, b) => a! - b!)).to.deep.equal(Array.from({ length: 12 }, (_, i) => i + 1));
    });

    it('knows no unknown token', async () => {
      expect(await world.challenges.attempt(hashMfaToken('unknown'))).to.equal(undefined);
      expect(await world.challenges.consume(hashMfaToken('unknown'))).to.equal(undefined);
    });

    it('is consumed once, by one of concurrent consumers', async () => {
      const { challenge } = await aChallenge();
      await world.challenges.attempt(challenge.tokenHash);
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? world.challenges : world.otherInstance).consume(challenge.tokenHash)));
      const won = results.filter((r) => r !== undefined);
      expect(won).to.have.length(1);
      expect(won[0]?.attempts).to.equal(1);
      expect(await world.challenges.attempt(challenge.tokenHash)).to.equal(undefined);
    });

    it('purges the challenges that expired before the cut-off, and only those', async () => {
      const old = await aChallenge(T0);
      const fresh = await aChallenge(new Date(T0.getTime() + 10 * 60_000));
      const purged = await world.challenges.purgeExpired(new Date(old.challenge.expiresAt.getTime() + 1), 1_000);
      expect(purged).to.be.at.least(1);
      expect(await world.challenges.attempt(old.challenge.tokenHash)).to.equal(undefined);
      expect(await world.challenges.attempt(fresh.challenge.tokenHash)).to.not.equal(undefined);
    });
  });
}
