import { expect } from 'chai';
import type { HousekeepingLock } from '../../application/housekeeping/housekeeping-lock.js';

export interface HousekeepingLockUnderTest {
  readonly lock: HousekeepingLock;
  /** Another instance's lock over the same store (another pool, for PostgreSQL); the same one in process. */
  readonly otherInstance: HousekeepingLock;
  close(): Promise<void>;
}

/** The same specification for every `HousekeepingLock`: one round at a time, never waiting, released after. */
export function housekeepingLockContract(name: string, factory: () => Promise<HousekeepingLockUnderTest>): void {
  describe(`${name} (HousekeepingLock contract)`, function () {
    let world: HousekeepingLockUnderTest;
    beforeEach(async () => {
      world = await factory();
    });
    afterEach(async () => world.close());

    it('runs the work and returns its value when nobody holds the lock', async () => {
      expect(await world.lock.runExclusive(async () => 42)).to.deep.equal({ ran: true, value: 42 });
    });

    it('answers at once, without running it, while another round holds the lock; runs it once that one is done', async () => {
      let release!: () => void;
      const holding = world.lock.runExclusive(() => new Promise<string>((resolve) => (release = () => resolve('first'))));
      await new Promise((resolve) => setTimeout(resolve, 0));
      let ran = false;
      // Give the first round time to take the lock before asking for it.
      for (let i = 0; i < 50 && release === undefined; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
      const meanwhile = await world.otherInstance.runExclusive(async () => (ran = true));
      expect(meanwhile).to.deep.equal({ ran: false });
      expect(ran).to.equal(false);
      release();
      expect(await holding).to.deep.equal({ ran: true, value: 'first' });
      expect(await world.otherInstance.runExclusive(async () => 'second')).to.deep.equal({ ran: true, value: 'second' });
    });

    it('releases the lock when the work fails', async () => {
      const failed = await world.lock.runExclusive(async () => {
        throw new Error('boom');
      }).catch((error: unknown) => error);
      expect(failed).to.be.instanceOf(Error);
      expect(await world.otherInstance.runExclusive(async () => 'after')).to.deep.equal({ ran: true, value: 'after' });
    });
  });
}
