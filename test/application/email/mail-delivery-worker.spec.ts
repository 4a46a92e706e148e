import { expect } from 'chai';
import { AesGcmSecretBox } from '../../../adapters/crypto/aes-gcm-secret-box.js';
import { InMemoryMailOutbox } from '../../../adapters/memory/in-memory-mail-outbox.js';
import { InMemoryMailer } from '../../../adapters/memory/in-memory-mailer.js';
import { InProcessMailWakeUp } from '../../../adapters/memory/in-process-mail-wake-up.js';
import { NodemailerSmtpMailer } from '../../../adapters/nodemailer/nodemailer-smtp-mailer.js';
import { defaultMailTemplatesDirectory, FileMailRenderer } from '../../../adapters/templates/file-mail-renderer.js';
import { InMemoryAuditLog } from '../../../adapters/memory/in-memory-audit-log.js';
import {
  AuditTrail,
  MailDeliveryWorker,
  type AttemptOutcome,
  type ClaimedMail,
  type DeliveryPolicy,
  type MailDeliveryObserver,
  type Mailer,
  type NewOutboxMail,
  type OutgoingMail,
  type StreakEnded,
  type StreakStarted,
} from '../../../application/index.js';
import { newTimeOrderedId } from '../../../domain/index.js';
import { eventually } from '../../support/eventually.js';
import { FakeClock } from '../../support/fake-clock.js';
import { freePort } from '../../support/throwaway-services.js';

const SECOND = 1000;
const USER_ID = '0193b6c2-7c1e-7d3a-9a57-0c4f2b1e8a90';

class RecordingObserver implements MailDeliveryObserver {
  readonly events: string[] = [];
  attempted(_mail: ClaimedMail, outcome: AttemptOutcome) {
    this.events.push(`attempt: ${outcome.kind}`);
  }
  delivered() {
    this.events.push('sent');
  }
  failed(_mail: ClaimedMail, reason: string) {
    this.events.push(`failed: ${reason}`);
  }
  failing(started: StreakStarted) {
    this.events.push(`failing since ${started.since.toISOString()}`);
  }
  recovered(ended: StreakEnded) {
    this.events.push(`recovered after ${ended.failedAttempts}`);
  }
  passFailed(error: unknown) {
    this.events.push(`pass failed: ${String(error)}`);
  }
}

const TEST_POLICY: DeliveryPolicy = {
  leaseMs: 60 * SECOND,
  maxBatch: 10,
  concurrency: 1,
  pollIntervalMs: 60 * SECOND,
  retry: { backoff: { baseMs: SECOND, maxMs: 30 * SECOND }, uncertainRetryDelayMs: 10 * 60 * SECOND, maxUncertainRetries: 1 },
  messageIdDomain: 'example.com',
};

function deliveryWorld(mailerOrFactory: Mailer | ((clock: FakeClock) => Mailer) = new InMemoryMailer(), policy: Partial<DeliveryPolicy> = {}) {
  const clock = new FakeClock();
  const mailer = typeof mailerOrFactory === 'function' ? mailerOrFactory(clock) : mailerOrFactory;
  const box = new AesGcmSecretBox(new Uint8Array(32).fill(3));
  const outbox = new InMemoryMailOutbox();
  const wakeUp = new InProcessMailWakeUp();
  const observer = new RecordingObserver();
  const auditLog = new InMemoryAuditLog();
  const renderer = new FileMailRenderer(defaultMailTemplatesDirectory(), 'https://app.example.com');
  const worker = new MailDeliveryWorker(
    { outbox, mailer, renderer, box, clock, wakeUp, observer, audit: new AuditTrail(auditLog, clock) },
    { ...TEST_POLICY, ...policy },
  );
  const resetMail = (token = 'the-token'): NewOutboxMail => ({
    id: newTimeOrderedId(clock.now()),
    kind: 'reset_password',
    to: 'alice@example.com',
    params: { username: 'alice', valid_for: '30 minutes' },
    sealedToken: box.seal(token),
    userId: USER_ID,
    createdAt: clock.now(),
    deadline: new Date(clock.now().getTime() + 30 * 60 * SECOND),
  });
  return { clock, box, outbox, wakeUp, observer, worker, mailer, resetMail, auditLog };
}

/** A mailer that answers each send with the next scripted outcome (the last one repeats), on the test's clock. */
function scripted(outcomes: AttemptOutcome[], sent: OutgoingMail[] = []): Mailer {
  return {
    async send(mail) {
      sent.push(mail);
      return outcomes.length > 1 ? outcomes.shift()! : outcomes[0]!;
    },
    async close() {},
  };
}

describe('MailDeliveryWorker', () => {
  it('sends a due mail rendered with its link and a Message-ID from its outbox id, then keeps only its envelope', async () => {
    const mailer = new InMemoryMailer();
    const world = deliveryWorld(mailer);
    const mail = world.resetMail('t0ken');
    await world.outbox.enqueue(mail);

    expect(await world.worker.deliverDue()).to.equal(1);

    expect(mailer.sent).to.have.lengthOf(1);
    expect(mailer.sent[0]).to.deep.include({
      to: 'alice@example.com',
      link: 'https://app.example.com/reset-password?token=t0ken',
      messageId: `<${mail.id}@example.com>`,
    });
    const [stored] = world.outbox.all();
    expect(stored).to.deep.include({ status: 'sent', sealedToken: undefined, params: {} });
    expect(world.observer.events).to.deep.equal(['attempt: delivered', 'sent']);
    expect(await world.worker.deliverDue()).to.equal(0);
  });

  it('retries a transient failure with exponential backoff up to its cap, and gives up only once the link has expired', async () => {
    // A real SMTP client against a port nobody listens on: the refusal is what an outage looks like.
    const down = new NodemailerSmtpMailer({ url: `smtp://127.0.0.1:${await freePort()}`, from: 'a@example.com', timeouts: { connectionMs: 2_000 } });
    const world = deliveryWorld(down);
    try {
      await world.outbox.enqueue(world.resetMail());
      const delays: number[] = [];
      for (;;) {
        const before = world.clock.now().getTime();
        expect(await world.worker.deliverDue()).to.equal(1);
        const [stored] = world.outbox.all();
        if (stored!.status === 'failed') break;
        const next = stored!.nextAttemptAt.getTime();
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
      // One line's worth of events for the whole outage: it started failing; no event per retry.
      expect(world.observer.events.filter((event) => event.startsWith('failing'))).to.have.lengthOf(1);
    } finally {
      await down.close();
    }
  });

  it('fails a permanently refused mail at once, once, with a mail.failed audit event for the account', async () => {
    const sent: OutgoingMail[] = [];
    const world = deliveryWorld(scripted([{ kind: 'permanent', reason: 'RCPT TO: 550 no such mailbox' }], sent));
    await world.outbox.enqueue(world.resetMail());

    await world.worker.deliverDue();
    world.clock.advance(3_600 * SECOND);
    expect(await world.worker.deliverDue()).to.equal(0);

    expect(sent).to.have.lengthOf(1);
    expect(world.outbox.all()[0]).to.deep.include({ status: 'failed', lastError: 'RCPT TO: 550 no such mailbox' });
    const events = await world.auditLog.list({ userId: USER_ID }, { limit: 10 });
    expect(events.map((event) => [event.type, event.details.cause])).to.deep.equal([['mail.failed', 'permanent']]);
    expect(world.observer.events.some((event) => event.startsWith('failing')), 'a refused address is no relay outage').to.equal(false);
  });

  it('sends a mail of unknown outcome again only after the configured delay, at most MAIL_MAX_UNCERTAIN_RETRIES times, same Message-ID', async () => {
    const sent: OutgoingMail[] = [];
    const world = deliveryWorld(scripted([{ kind: 'unknown', reason: 'CONN: Timeout' }], sent));
    await world.outbox.enqueue(world.resetMail());

    await world.worker.deliverDue();
    world.clock.advance(10 * 60 * SECOND - 1);
    expect(await world.worker.deliverDue(), 'not before the delay').to.equal(0);
    world.clock.advance(1);
    await world.worker.deliverDue();
    world.clock.advance(3_600 * SECOND);
    expect(await world.worker.deliverDue(), 'given up after one uncertain retry').to.equal(0);

    expect(sent).to.have.lengthOf(2);
    expect(new Set(sent.map((mail) => mail.messageId)).size).to.equal(1);
    expect(world.outbox.all()[0]).to.deep.include({ status: 'failed', uncertainAttempts: 1 });
    expect(world.outbox.all()[0]?.lastError).to.match(/^outcome unknown after 2 attempt/);
  });

  it('reports a failing streak once and its recovery once, with the count of failed attempts', async () => {
    const world = deliveryWorld(scripted([
      { kind: 'transient', reason: '451 try later' },
      { kind: 'transient', reason: '451 try later' },
      { kind: 'transient', reason: '451 try later' },
      { kind: 'delivered' },
    ]));
    await world.outbox.enqueue(world.resetMail());
    const start = world.clock.now();
    for (let i = 0; i < 4; i += 1) {
      await world.worker.deliverDue();
      world.clock.advance(60 * SECOND);
    }
    expect(world.observer.events.filter((event) => !event.startsWith('attempt'))).to.deep.equal([
      `failing since ${start.toISOString()}`,
      'recovered after 3',
      'sent',
    ]);
  });

  it('hands back at once, unattempted, the mails of a batch not started within half the lease', async () => {
    const sent: string[] = [];
    // A mail server that answered the first message in 1 s, then slows to 20 s a message, on the test's clock.
    const seconds = [1, 20, 20, 20];
    const world = deliveryWorld((clock) => ({
      async send(mail) {
        clock.advance(seconds.shift()! * SECOND);
        sent.push(mail.to);
        return { kind: 'delivered' };
      },
      async close() {},
    }), { maxBatch: 3 });
    await world.outbox.enqueue(world.resetMail());
    // One measured attempt first (1 s), so the pace allows a batch of three.
    await world.worker.deliverDue();
    for (const to of ['b@example.com', 'c@example.com', 'd@example.com']) await world.outbox.enqueue({ ...world.resetMail(), to });
    sent.length = 0;

    expect(await world.worker.deliverDue()).to.equal(3);

    // Lease 60 s: after two sends 40 s of it are gone, so the third goes back instead of being sent late.
    expect(sent).to.have.lengthOf(2);
    const back = world.outbox.all().filter((mail) => mail.status === 'pending');
    expect(back.map((mail) => mail.to)).to.deep.equal(['d@example.com']);
    expect(back[0]).to.deep.include({ leaseId: undefined, attempts: 0 });
    expect(back[0]!.nextAttemptAt.getTime()).to.be.at.most(world.clock.now().getTime());
  });

  it('claims what its connections can start within half a lease at the measured pace', async () => {
    const world = deliveryWorld((clock) => ({
      async send() {
        clock.advance(10 * SECOND);
        return { kind: 'delivered' };
      },
      async close() {},
    }), { maxBatch: 100, concurrency: 1 });
    for (let i = 0; i < 20; i += 1) await world.outbox.enqueue({ ...world.resetMail(), to: `u${i}@example.com` });

    expect(await world.worker.deliverDue(), 'before any measurement: one per connection').to.equal(1);
    // 10 s an attempt, one connection, 30 s: three can start.
    expect(await world.worker.deliverDue()).to.equal(3);
  });

  it('fails at once a mail whose token no configured key opens', async () => {
    const world = deliveryWorld();
    const foreign = new AesGcmSecretBox(new Uint8Array(32).fill(9));
    await world.outbox.enqueue({ ...world.resetMail(), sealedToken: foreign.seal('x') });

    await world.worker.deliverDue();

    expect(world.outbox.all()[0]?.status).to.equal('failed');
    expect(world.observer.events.filter((event) => event.startsWith('failed'))).to.have.lengthOf(1);
    expect(world.observer.events.find((event) => event.startsWith('failed'))).to.match(/^failed: token cannot be decrypted/);
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
