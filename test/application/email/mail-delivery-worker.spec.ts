import { expect } from 'chai';
import { AesGcmSecretBox } from '../../../adapters/crypto/aes-gcm-secret-box.js';
import { InMemoryMailOutbox } from '../../../adapters/memory/in-memory-mail-outbox.js';
import { InMemoryMailer } from '../../../adapters/memory/in-memory-mailer.js';
import { InProcessMailWakeUp } from '../../../adapters/memory/in-process-mail-wake-up.js';
import { NodemailerSmtpMailer } from '../../../adapters/nodemailer/nodemailer-smtp-mailer.js';
import { defaultMailTemplatesDirectory, FileMailRenderer } from '../../../adapters/templates/file-mail-renderer.js';
import { MailDeliveryWorker, type MailDeliveryObserver, type Mailer, type NewOutboxMail } from '../../../application/index.js';
import { newTimeOrderedId } from '../../../domain/index.js';
import { eventually } from '../../support/eventually.js';
import { FakeClock } from '../../support/fake-clock.js';
import { freePort } from '../../support/throwaway-services.js';

const SECOND = 1000;

class RecordingObserver implements MailDeliveryObserver {
  readonly events: string[] = [];
  sent() {
    this.events.push('sent');
  }
  retried(_mail: unknown, _error: unknown, nextAttemptAt: Date) {
    this.events.push(`retried until ${nextAttemptAt.toISOString()}`);
  }
  failed(_mail: unknown, reason: string) {
    this.events.push(`failed: ${reason}`);
  }
  passFailed(error: unknown) {
    this.events.push(`pass failed: ${String(error)}`);
  }
}

function deliveryWorld(mailerOrFactory: Mailer | ((clock: FakeClock) => Mailer) = new InMemoryMailer()) {
  const clock = new FakeClock();
  const mailer = typeof mailerOrFactory === 'function' ? mailerOrFactory(clock) : mailerOrFactory;
  const box = new AesGcmSecretBox(new Uint8Array(32).fill(3));
  const outbox = new InMemoryMailOutbox();
  const wakeUp = new InProcessMailWakeUp();
  const observer = new RecordingObserver();
  const worker = new MailDeliveryWorker(outbox, mailer, new FileMailRenderer(defaultMailTemplatesDirectory(), 'https://app.example.com'), box, clock, wakeUp, observer, {
    leaseMs: 60 * SECOND,
    batchSize: 10,
    pollIntervalMs: 60 * SECOND,
    backoffBaseMs: SECOND,
    backoffMaxMs: 30 * SECOND,
  });
  const resetMail = (token = 'the-token'): NewOutboxMail => ({
    id: newTimeOrderedId(clock.now()),
    kind: 'reset_password',
    to: 'alice@example.com',
    params: { username: 'alice', valid_for: '30 minutes' },
    sealedToken: box.seal(token),
    createdAt: clock.now(),
    deadline: new Date(clock.now().getTime() + 30 * 60 * SECOND),
  });
  return { clock, box, outbox, wakeUp, observer, worker, mailer, resetMail };
}

describe('MailDeliveryWorker', () => {
  it('sends a due mail rendered with its link, then keeps only its envelope', async () => {
    const mailer = new InMemoryMailer();
    const world = deliveryWorld(mailer);
    const mail = world.resetMail('t0ken');
    await world.outbox.enqueue(mail);

    expect(await world.worker.deliverDue()).to.equal(1);

    expect(mailer.sent).to.have.lengthOf(1);
    expect(mailer.sent[0]).to.deep.include({ to: 'alice@example.com', link: 'https://app.example.com/reset-password?token=t0ken' });
    const [stored] = world.outbox.all();
    expect(stored).to.deep.include({ status: 'sent', sealedToken: undefined, params: {} });
    expect(world.observer.events).to.deep.equal(['sent']);
    expect(await world.worker.deliverDue()).to.equal(0);
  });

  it('retries with exponential backoff capped at 30 s, and gives up only once the link has expired', async () => {
    // A real SMTP client against a port nobody listens on: the refusal is what an outage looks like.
    const down = new NodemailerSmtpMailer({ url: `smtp://127.0.0.1:${await freePort()}`, from: 'a@example.com', timeoutMs: 2_000 });
    const world = deliveryWorld(down);
    try {
      await world.outbox.enqueue(world.resetMail());
      const delays: number[] = [];
      for (;;) {
        const before = world.clock.now().getTime();
        expect(await world.worker.deliverDue()).to.equal(1);
        const last = world.observer.events.at(-1)!;
        if (last.startsWith('failed')) break;
        const next = new Date(last.replace('retried until ', '')).getTime();
        delays.push(next - before);
        world.clock.advance(next - before - 1);
        expect(await world.worker.deliverDue(), 'not due before its time').to.equal(0);
        world.clock.advance(1);
      }
      expect(delays.slice(0, 6)).to.deep.equal([1, 2, 4, 8, 16, 30].map((s) => s * SECOND));
      expect(new Set(delays.slice(5))).to.deep.equal(new Set([30 * SECOND]));
      expect(world.clock.now().getTime() - world.outbox.all()[0]!.createdAt.getTime()).to.be.at.least(30 * 60 * SECOND);
      expect(world.outbox.all()[0]).to.deep.include({ status: 'failed', sealedToken: undefined });
      expect(world.outbox.all()[0]?.lastError).to.match(/expired/);
    } finally {
      await down.close();
    }
  });

  it('hands back, unsent, the mails of a batch whose lease is half spent, so no other worker\'s claim overlaps', async () => {
    const sent: string[] = [];
    // A mail server that takes 20 s to accept each message, on the test's clock.
    const world = deliveryWorld((clock) => ({
      async send(mail) {
        clock.advance(20 * SECOND);
        sent.push(mail.to);
      },
      async close() {},
    }));
    for (const to of ['a@example.com', 'b@example.com', 'c@example.com']) await world.outbox.enqueue({ ...world.resetMail(), to });

    expect(await world.worker.deliverDue()).to.equal(3);

    // Lease 60 s: after two sends 40 s of it are gone, so the third goes back instead of being sent late.
    expect(sent).to.deep.equal(['a@example.com', 'b@example.com']);
    const third = world.outbox.all().find((mail) => mail.to === 'c@example.com');
    expect(third).to.deep.include({ status: 'pending', lastError: 'not attempted: lease running out' });
    expect((await world.outbox.claimDue(world.clock.now(), 60 * SECOND, 10)).map((mail) => mail.to)).to.deep.equal(['c@example.com']);
  });

  it('fails at once a mail whose token no configured key opens', async () => {
    const world = deliveryWorld();
    const foreign = new AesGcmSecretBox(new Uint8Array(32).fill(9));
    await world.outbox.enqueue({ ...world.resetMail(), sealedToken: foreign.seal('x') });

    await world.worker.deliverDue();

    expect(world.outbox.all()[0]?.status).to.equal('failed');
    expect(world.observer.events).to.have.lengthOf(1);
    expect(world.observer.events[0]).to.match(/^failed: token cannot be decrypted/);
  });

  it('runs on its own once started: a wake-up sends a committed mail without waiting for the poll', async () => {
    const mailer = new InMemoryMailer();
    const world = deliveryWorld(mailer);
    world.worker.start();
    try {
      await world.outbox.enqueue(world.resetMail());
      world.wakeUp.wake();
      await eventually('the mail to be sent', async () => mailer.sent.length === 1);
    } finally {
      await world.worker.stop();
    }
    expect(world.outbox.all()[0]?.status).to.equal('sent');
  });

  it('stops after the pass under way, leaving what comes later in the outbox', async () => {
    const mailer = new InMemoryMailer();
    const world = deliveryWorld(mailer);
    world.worker.start();
    await world.worker.stop();
    await world.outbox.enqueue(world.resetMail());
    world.wakeUp.wake();
    expect(await world.outbox.pendingCount()).to.equal(1);
    expect(mailer.sent).to.deep.equal([]);
  });
});
