import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import type { PasskeyRepository } from '../../application/passkeys/passkey-repository.js';
import type { UserRepository } from '../../application/ports/user-repository.js';
import { Passkey, type UserId } from '../../domain/index.js';
import { registeredUser } from './registered-user.js';

export interface PasskeyRepositoryUnderTest {
  readonly passkeys: PasskeyRepository;
  /** The same store as another instance of the service sees it; the same object in memory. */
  readonly otherInstance: PasskeyRepository;
  readonly users: UserRepository;
  /** Deletes the user as an administrator would; the store must forget the user's passkeys. */
  deleteUser(id: UserId): Promise<void>;
  close(): Promise<void>;
}

const T0 = new Date('2026-12-01T12:00:00.000Z');
const later = (ms: number) => new Date(T0.getTime() + ms);

function aPasskey(userId: UserId, overrides: Partial<ConstructorParameters<typeof Passkey>[0]> = {}): Passkey {
  return new Passkey({
    credentialId: randomBytes(16).toString('base64url'),
    userId,
    publicKey: Uint8Array.from(randomBytes(77)),
    counter: 0,
    transports: ['internal', 'hybrid'],
    deviceType: 'singleDevice',
    backedUp: false,
    name: 'Laptop',
    createdAt: T0,
    lastUsedAt: undefined,
    ...overrides,
  });
}

/** The same specification for every `PasskeyRepository`: run unchanged on memory, PGlite and PostgreSQL. */
export function passkeyRepositoryContract(name: string, factory: () => Promise<PasskeyRepositoryUnderTest>): void {
  describe(`${name} (PasskeyRepository contract)`, function () {
    let world: PasskeyRepositoryUnderTest;
    beforeEach(async () => {
      world = await factory();
    });
    afterEach(async () => world.close());

    it('keeps every field of an added passkey, the key bytes included', async () => {
      const user = await registeredUser(world.users, T0, 'pk');
      const passkey = aPasskey(user.id, { counter: 7, deviceType: 'multiDevice', backedUp: true, lastUsedAt: later(1000) });
      expect(await world.passkeys.add(passkey)).to.equal(true);
      const found = await world.otherInstance.findByCredentialId(passkey.credentialId);
      expect(found).to.deep.equal(passkey);
      expect(found?.publicKey).to.be.instanceOf(Uint8Array);
    });

    it('refuses a second passkey with a credential id already known, even for another user', async () => {
      const alice = await registeredUser(world.users, T0, 'pk');
      const bob = await registeredUser(world.users, T0, 'pk');
      const passkey = aPasskey(alice.id);
      await world.passkeys.add(passkey);
      expect(await world.otherInstance.add(aPasskey(bob.id, { credentialId: passkey.credentialId }))).to.equal(false);
      expect((await world.passkeys.findByCredentialId(passkey.credentialId))?.userId).to.equal(alice.id);
    });

    it("lists a user's passkeys oldest first, and no one else's", async () => {
      const alice = await registeredUser(world.users, T0, 'pk');
      const bob = await registeredUser(world.users, T0, 'pk');
      const second = aPasskey(alice.id, { createdAt: later(2000), name: 'Phone' });
      const first = aPasskey(alice.id, { createdAt: later(1000), name: 'Laptop' });
      await world.passkeys.add(second);
      await world.passkeys.add(first);
      await world.passkeys.add(aPasskey(bob.id));
      expect((await world.passkeys.listByUser(alice.id)).map((p) => p.name)).to.deep.equal(['Laptop', 'Phone']);
      expect(await world.passkeys.listByUser((await registeredUser(world.users, T0, 'pk')).id)).to.deep.equal([]);
    });

    it("renames and removes only the user's own passkey", async () => {
      const alice = await registeredUser(world.users, T0, 'pk');
      const bob = await registeredUser(world.users, T0, 'pk');
      const passkey = aPasskey(alice.id);
      await world.passkeys.add(passkey);
      expect(await world.passkeys.rename(bob.id, passkey.credentialId, 'Mine now')).to.equal(undefined);
      expect(await world.passkeys.remove(bob.id, passkey.credentialId)).to.equal(false);
      expect((await world.passkeys.rename(alice.id, passkey.credentialId, '  Work key  '))?.name).to.equal('Work key');
      expect((await world.otherInstance.findByCredentialId(passkey.credentialId))?.name).to.equal('Work key');
      expect(await world.otherInstance.remove(alice.id, passkey.credentialId)).to.equal(true);
      expect(await world.passkeys.findByCredentialId(passkey.credentialId)).to.equal(undefined);
      expect(await world.passkeys.remove(alice.id, passkey.credentialId)).to.equal(false);
      expect(await world.passkeys.rename(alice.id, 'unknown', 'x')).to.equal(undefined);
    });

    it('saves an accepted use (counter, backup state, last use) and nothing of a refused one', async () => {
      const user = await registeredUser(world.users, T0, 'pk');
      const passkey = aPasskey(user.id, { counter: 5 });
      await world.passkeys.add(passkey);
      const accepted = await world.passkeys.recordUse(passkey.credentialId, (current) => current.use({ newCounter: 9, backedUp: true, now: later(60_000) }));
      expect(accepted?.outcome).to.equal('accept');
      const saved = await world.otherInstance.findByCredentialId(passkey.credentialId);
      expect([saved?.counter, saved?.backedUp, saved?.lastUsedAt]).to.deep.equal([9, true, later(60_000)]);

      const refused = await world.otherInstance.recordUse(passkey.credentialId, (current) => current.use({ newCounter: 3, backedUp: false, now: later(120_000) }));
      expect(refused?.outcome).to.equal('counter_regressed');
      const unchanged = await world.passkeys.findByCredentialId(passkey.credentialId);
      expect([unchanged?.counter, unchanged?.backedUp, unchanged?.lastUsedAt]).to.deep.equal([9, true, later(60_000)]);
      expect(await world.passkeys.recordUse('unknown', (current) => current.use({ newCounter: 1, backedUp: false, now: T0 }))).to.equal(undefined);
    });

    it('lets one of concurrent uses with the same counter through, as the counter rule takes turns', async () => {
      const user = await registeredUser(world.users, T0, 'pk');
      const passkey = aPasskey(user.id, { counter: 1 });
      await world.passkeys.add(passkey);
      const outcomes = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          (i % 2 ? world.passkeys : world.otherInstance).recordUse(passkey.credentialId, (current) => current.use({ newCounter: 2, backedUp: false, now: later(i) })),
        ),
      );
      expect(outcomes.filter((o) => o?.outcome === 'accept')).to.have.length(1);
      expect((await world.passkeys.findByCredentialId(passkey.credentialId))?.counter).to.equal(2);
    });

    it("removes every passkey of one user, and no one else's", async () => {
      const alice = await registeredUser(world.users, T0, 'pk');
      const bob = await registeredUser(world.users, T0, 'pk');
      await world.passkeys.add(aPasskey(alice.id));
      await world.passkeys.add(aPasskey(alice.id));
      const bobs = aPasskey(bob.id);
      await world.passkeys.add(bobs);
      expect(await world.otherInstance.removeAllOf(alice.id)).to.equal(2);
      expect(await world.passkeys.listByUser(alice.id)).to.deep.equal([]);
      expect(await world.passkeys.findByCredentialId(bobs.credentialId)).to.deep.equal(bobs);
    });

    it("forgets a user's passkeys when the user is deleted", async () => {
      const user = await registeredUser(world.users, T0, 'pk');
      const passkey = aPasskey(user.id);
      await world.passkeys.add(passkey);
      await world.deleteUser(user.id);
      expect(await world.passkeys.findByCredentialId(passkey.credentialId)).to.equal(undefined);
    });
  });
}
