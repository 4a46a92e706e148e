import { expect } from 'chai';
import type { WebAuthnChallengeStore } from '../../application/passkeys/web-authn-challenge-store.js';
import type { UserRepository } from '../../application/ports/user-repository.js';
import { WebAuthnChallenge } from '../../domain/index.js';
import { registeredUser } from './registered-user.js';

export interface WebAuthnChallengeStoreUnderTest {
  readonly challenges: WebAuthnChallengeStore;
  /** The same store as another instance of the service sees it; the same object in memory. */
  readonly otherInstance: WebAuthnChallengeStore;
  readonly users: UserRepository;
  close(): Promise<void>;
}

const T0 = new Date('2026-12-01T12:00:00.000Z');

/** The same specification for every `WebAuthnChallengeStore`: run unchanged on memory, PGlite and PostgreSQL. */
export function webAuthnChallengeStoreContract(name: string, factory: () => Promise<WebAuthnChallengeStoreUnderTest>): void {
  describe(`${name} (WebAuthnChallengeStore contract)`, function () {
    let world: WebAuthnChallengeStoreUnderTest;
    beforeEach(async () => {
      world = await factory();
    });
    afterEach(async () => world.close());

    it('gives back an issued challenge once, fields intact, to any instance', async () => {
      const user = await registeredUser(world.users, T0, 'wa');
      const registration = WebAuthnChallenge.issue({ ceremony: 'registration', userId: user.id, now: T0 });
      const authentication = WebAuthnChallenge.issue({ ceremony: 'authentication', now: T0 });
      await world.challenges.issue(registration);
      await world.challenges.issue(authentication);
      expect(await world.otherInstance.consume(registration.challenge)).to.deep.equal(registration);
      expect(await world.challenges.consume(authentication.challenge)).to.deep.equal(authentication);
      expect(await world.challenges.consume(registration.challenge)).to.equal(undefined);
      expect(await world.otherInstance.consume(authentication.challenge)).to.equal(undefined);
    });

    it('knows no unknown challenge', async () => {
      expect(await world.challenges.consume('bm90LWEtY2hhbGxlbmdlLWF0LWFsbA')).to.equal(undefined);
    });

    it('is consumed by one of concurrent consumers', async () => {
      const challenge = WebAuthnChallenge.issue({ ceremony: 'authentication', now: T0 });
      await world.challenges.issue(challenge);
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? world.challenges : world.otherInstance).consume(challenge.challenge)));
      expect(results.filter((r) => r !== undefined)).to.have.length(1);
    });

    it('purges in batches the challenges expired before the cut-off, and only those', async () => {
      const old = Array.from({ length: 5 }, () => WebAuthnChallenge.issue({ ceremony: 'authentication', now: T0 }));
      const fresh = WebAuthnChallenge.issue({ ceremony: 'authentication', now: new Date(T0.getTime() + 10 * 60_000) });
      for (const c of [...old, fresh]) await world.challenges.issue(c);
      const cutOff = new Date(old[0]!.expiresAt.getTime() + 1);
      const first = await world.challenges.purgeExpired(cutOff, 3);
      expect(first).to.equal(3);
      // Other suites may share the database: what is left of ours goes in later batches.
      while ((await world.challenges.purgeExpired(cutOff, 3)) > 0);
      for (const c of old) expect(await world.challenges.consume(c.challenge)).to.equal(undefined);
      expect(await world.challenges.consume(fresh.challenge)).to.deep.equal(fresh);
    });
  });
}
