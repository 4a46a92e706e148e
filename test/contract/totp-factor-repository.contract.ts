import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { registeredUser } from './registered-user.js';
import type { TotpFactorRepository } from '../../application/two-factor/totp-factor-repository.js';
import type { UserRepository } from '../../application/ports/user-repository.js';
import { hashRecoveryCode, newRecoveryCodes, TotpFactor, type User, Username } from '../../domain/index.js';

export interface TotpFactorRepositoryUnderTest {
  readonly factors: TotpFactorRepository;
  /** The same store as seen by another instance of the service (another connection pool); the same object in memory. */
  readonly otherInstance: TotpFactorRepository;
  /** The users the factors belong to live in the same store. */
  readonly users: UserRepository;
  close(): Promise<void>;
}

const T0 = new Date('2026-11-24T10:00:00.000Z');
const STEP = Math.floor(T0.getTime() / 30_000);
// Shaped like a SecretBox value: the database refuses anything else, so a secret in clear cannot be stored.
const sealed = () => `v1.key.${randomBytes(12).toString('base64url')}.${randomBytes(40).toString('base64url')}`;

/** The same specification for every `TotpFactorRepository`: run unchanged on memory, PGlite and PostgreSQL. */
export function totpFactorRepositoryContract(name: string, factory: () => Promise<TotpFactorRepositoryUnderTest>): void {
  describe(`${name} (TotpFactorRepository contract)`, function () {
    let world: TotpFactorRepositoryUnderTest;
    beforeEach(async () => {
      world = await factory();
    });
    afterEach(async () => world.close());

    const aUser = () => registeredUser(world.users, T0, 't');

    async function aConfirmedFactor(user: User, codeHashes: readonly string[] = newRecoveryCodes().hashes) {
      const factor = TotpFactor.enrol({ userId: user.id, sealedSecret: sealed(), now: T0 });
      await world.factors.savePending(factor);
      expect(await world.factors.confirm(user.id, factor.sealedSecret, STEP, codeHashes, T0)).to.equal(true);
      return factor;
    }

    it('keeps a pending factor with its fields, and replaces it when enrolled again', async () => {
      const user = await aUser();
      const first = TotpFactor.enrol({ userId: user.id, sealedSecret: sealed(), now: T0 });
      expect(await world.factors.savePending(first)).to.equal(true);
      expect(await world.factors.find(user.id)).to.deep.equal(first);
      const second = TotpFactor.enrol({ userId: user.id, sealedSecret: sealed(), now: new Date(T0.getTime() + 1000) });
      expect(await world.factors.savePending(second)).to.equal(true);
      expect(await world.factors.find(user.id)).to.deep.equal(second);
      expect((await world.users.findById(user.id))?.mfaEnabled).to.equal(false);
    });

    it('counts consecutive wrong codes atomically, across instances of the count, and clears them', async () => {
      const user = await aUser();
      expect(await world.factors.recordFailedAttempt(user.id)).to.equal(0);
      await aConfirmedFactor(user);
      const counts = await Promise.all(Array.from({ length: 10 }, () => world.factors.recordFailedAttempt(user.id)));
      expect([...counts].sort((a, b) => a - b)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect((await world.factors.find(user.id))?.failedAttempts).to.equal(10);
      await world.factors.clearFailedAttempts(user.id);
      expect((await world.factors.find(user.id))?.failedAttempts).to.equal(0);
    });

    it('finds nothing for a user without a factor, or a malformed id', async () => {
      expect(await world.factors.find((await aUser()).id)).to.equal(undefined);
      expect(await world.factors.find('not-a-uuid')).to.equal(undefined);
    });

    it('confirms the pending factor once, recording its step and turning the user flag on', async () => {
      const user = await aUser();
      const factor = await aConfirmedFactor(user);
      const found = await world.factors.find(user.id);
      expect(found?.confirmedAt).to.deep.equal(T0);
      expect(found?.lastStep).to.equal(STEP);
      expect((await world.users.findById(user.id))?.mfaEnabled).to.equal(true);
      expect(await world.factors.confirm(user.id, factor.sealedSecret, STEP + 1, [], T0)).to.equal(false);
      expect(await world.factors.remainingRecoveryCodes(user.id)).to.equal(10);
    });

    it('does not confirm a pending factor with the secret of an earlier enrolment', async () => {
      const user = await aUser();
      const earlier = TotpFactor.enrol({ userId: user.id, sealedSecret: sealed(), now: T0 });
      await world.factors.savePending(earlier);
      await world.factors.savePending(TotpFactor.enrol({ userId: user.id, sealedSecret: sealed(), now: T0 }));
      expect(await world.factors.confirm(user.id, earlier.sealedSecret, STEP, [], T0)).to.equal(false);
      expect((await world.factors.find(user.id))?.isConfirmed).to.equal(false);
    });

    it('will not let a new enrolment replace a confirmed factor', async () => {
      const user = await aUser();
      const factor = await aConfirmedFactor(user);
      expect(await world.factors.savePending(TotpFactor.enrol({ userId: user.id, sealedSecret: sealed(), now: T0 }))).to.equal(false);
      expect((await world.factors.find(user.id))?.sealedSecret).to.equal(factor.sealedSecret);
    });

    it('accepts each later step once and refuses the same or an earlier one', async () => {
      const user = await aUser();
      await aConfirmedFactor(user);
      expect(await world.factors.acceptStep(user.id, STEP)).to.equal(false);
      expect(await world.factors.acceptStep(user.id, STEP + 1)).to.equal(true);
      expect(await world.factors.acceptStep(user.id, STEP + 1)).to.equal(false);
      expect(await world.factors.acceptStep(user.id, STEP)).to.equal(false);
      expect((await world.factors.find(user.id))?.lastStep).to.equal(STEP + 1);
    });

    it('accepts no step for a pending factor or a user without one', async () => {
      const user = await aUser();
      expect(await world.factors.acceptStep(user.id, STEP)).to.equal(false);
      await world.factors.savePending(TotpFactor.enrol({ userId: user.id, sealedSecret: sealed(), now: T0 }));
      expect(await world.factors.acceptStep(user.id, STEP)).to.equal(false);
    });

    it('lets exactly one of 20 concurrent acceptances of one step win, across two instances', async () => {
      const user = await aUser();
      await aConfirmedFactor(user);
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? world.factors : world.otherInstance).acceptStep(user.id, STEP + 1)),
      );
      expect(results.filter(Boolean)).to.have.length(1);
    });

    it('refuses on one instance a step accepted on the other', async () => {
      const user = await aUser();
      await aConfirmedFactor(user);
      expect(await world.factors.acceptStep(user.id, STEP + 1)).to.equal(true);
      expect(await world.otherInstance.acceptStep(user.id, STEP + 1)).to.equal(false);
    });

    it('spends each recovery code once, even when tried concurrently', async () => {
      const user = await aUser();
      const { codes, hashes } = newRecoveryCodes();
      await aConfirmedFactor(user, hashes);
      const first = hashRecoveryCode(codes[0]!);
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? world.factors : world.otherInstance).useRecoveryCode(user.id, first, T0)));
      expect(results.filter(Boolean)).to.have.length(1);
      expect(await world.factors.remainingRecoveryCodes(user.id)).to.equal(9);
      expect(await world.factors.useRecoveryCode(user.id, hashRecoveryCode(codes[1]!), T0)).to.equal(true);
      expect(await world.factors.useRecoveryCode(user.id, hashRecoveryCode('not-a-code'), T0)).to.equal(false);
    });

    it("does not spend another user's recovery code", async () => {
      const [owner, other] = [await aUser(), await aUser()];
      const { codes, hashes } = newRecoveryCodes();
      await aConfirmedFactor(owner, hashes);
      await aConfirmedFactor(other);
      expect(await world.factors.useRecoveryCode(other.id, hashRecoveryCode(codes[0]!), T0)).to.equal(false);
    });

    it('removes the factor with its recovery codes and turns the user flag off', async () => {
      const user = await aUser();
      const { codes, hashes } = newRecoveryCodes();
      await aConfirmedFactor(user, hashes);
      expect(await world.factors.remove(user.id)).to.equal(true);
      expect(await world.factors.find(user.id)).to.equal(undefined);
      expect((await world.users.findById(user.id))?.mfaEnabled).to.equal(false);
      expect(await world.factors.useRecoveryCode(user.id, hashRecoveryCode(codes[0]!), T0)).to.equal(false);
      expect(await world.factors.remainingRecoveryCodes(user.id)).to.equal(0);
      expect(await world.factors.remove(user.id)).to.equal(false);
    });

    it('keeps the user flag when the user is updated for another reason', async () => {
      const user = await aUser();
      await aConfirmedFactor(user);
      // `user` was read before the confirmation: saving it must not turn the flag back off.
      await world.users.update(user.withUsername(Username.parse(`${user.username.value}_x`), T0));
      expect((await world.users.findById(user.id))?.mfaEnabled).to.equal(true);
    });
  });
}
