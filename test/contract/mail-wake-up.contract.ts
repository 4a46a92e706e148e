import { expect } from 'chai';
import type { MailWakeUp } from '../../application/email/mail-wake-up.js';

/** The same specification for every `MailWakeUp`. */
export function mailWakeUpContract(name: string, factory: () => MailWakeUp): void {
  describe(`${name} (MailWakeUp contract)`, function () {
    it('resolves a wait at the next wake-up, long before its timeout', async () => {
      const wakeUp = factory();
      const started = Date.now();
      const waiting = wakeUp.wait(60_000);
      wakeUp.wake();
      await waiting;
      expect(Date.now() - started).to.be.below(1_000);
    });

    it('wakes every waiter', async () => {
      const wakeUp = factory();
      const waits = [wakeUp.wait(60_000), wakeUp.wait(60_000)];
      wakeUp.wake();
      await Promise.all(waits);
    });

    it('keeps a wake-up that came while nobody waited, so a commit between two waits is not missed', async () => {
      const wakeUp = factory();
      wakeUp.wake();
      const started = Date.now();
      await wakeUp.wait(60_000);
      expect(Date.now() - started).to.be.below(1_000);
    });

    it('resolves after the timeout when nothing wakes it', async () => {
      const wakeUp = factory();
      let resolved = false;
      const waiting = wakeUp.wait(20).then(() => (resolved = true));
      await waiting;
      expect(resolved).to.equal(true);
    });
  });
}
