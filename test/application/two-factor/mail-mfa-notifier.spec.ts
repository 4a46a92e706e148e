import { expect } from 'chai';
import { MailMfaNotifier, MailQueue } from '../../../application/index.js';
import { ALICE, useCaseWorld } from '../world.js';

describe('MailMfaNotifier', () => {
  async function aliceWorld() {
    const world = useCaseWorld();
    const alice = await world.register.execute(ALICE);
    const notifier = new MailMfaNotifier(world.unitOfWork, new MailQueue(world.box, world.clock));
    const queuedBefore = world.outbox.all().length;
    const queued = () => world.outbox.all().slice(queuedBefore).map((mail) => ({ kind: mail.kind, to: mail.to, params: mail.params }));
    return { alice, notifier, queued };
  }

  it('mails the owner when two-factor log-in is turned off', async () => {
    const { alice, notifier, queued } = await aliceWorld();
    await notifier.disabled(alice);
    expect(queued()).to.deep.equal([{ kind: 'two_factor_disabled', to: 'alice@example.com', params: { username: 'Alice' } }]);
  });

  it('mails the owner when a recovery code is used, with how many are left, never the code', async () => {
    const { alice, notifier, queued } = await aliceWorld();
    await notifier.recoveryCodeUsed(alice, 7);
    expect(queued()).to.deep.equal([{ kind: 'recovery_code_used', to: 'alice@example.com', params: { username: 'Alice', remaining: '7' } }]);
  });

  it('sends nothing when the factor is turned on: that only makes the account harder to take', async () => {
    const { alice, notifier, queued } = await aliceWorld();
    await notifier.enabled(alice);
    expect(queued()).to.deep.equal([]);
  });
});
