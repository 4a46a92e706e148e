import { expect } from 'chai';
import { AesGcmSecretBox } from '../../../adapters/crypto/aes-gcm-secret-box.js';
import { InMemoryAuditLog } from '../../../adapters/memory/in-memory-audit-log.js';
import { InMemoryMailOutbox } from '../../../adapters/memory/in-memory-mail-outbox.js';
import { InProcessMailWakeUp } from '../../../adapters/memory/in-process-mail-wake-up.js';
import { NodemailerSmtpMailer } from '../../../adapters/nodemailer/nodemailer-smtp-mailer.js';
import { SystemClock } from '../../../adapters/system/system-clock.js';
import { defaultMailTemplatesDirectory, FileMailRenderer } from '../../../adapters/templates/file-mail-renderer.js';
import { AuditTrail, MailDeliveryWorker, type Clock, type DeliveryPolicy, type MailDeliveryObserver } from '../../../application/index.js';
import { newTimeOrderedId } from '../../../domain/index.js';
import { eventually } from '../../support/eventually.js';
import { FakeClock } from '../../support/fake-clock.js';
import { SmtpCatcher } from '../../support/smtp-catcher.js';

const MINUTE = 60_000;
const USER_ID = '0193b6c2-7c1e-7d3a-9a57-0c4f2b1e8a90';
const quiet: MailDeliveryObserver = { attempted() {}, delivered() {}, failed() {}, failing() {}, recovered() {}, passFailed() {} };
const box = new AesGcmSecretBox(new Uint8Array(32).fill(7));

const POLICY: DeliveryPolicy = {
  leaseMs: MINUTE,
  maxBatch: 10,
  concurrency: 2,
  pollIntervalMs: 50,
  retry: { backoff: { baseMs: 1_000, maxMs: 5 * MINUTE }, uncertainRetryDelayMs: 10 * MINUTE, maxUncertainRetries: 1 },
  messageIdDomain: 'example.com',
};

/** One instance as far as mail goes: its own SMTP pool and worker, over an outbox shared with the others. */
function anInstance(outbox: InMemoryMailOutbox, catcher: SmtpCatcher, clock: Clock, audit: InMemoryAuditLog, policy: Partial<DeliveryPolicy> = {}) {
  const mailer = new NodemailerSmtpMailer({ url: catcher.url, from: 'no-reply@example.com', maxConnections: 2, timeouts: { replyMs: 10_000 } });
  const worker = new MailDeliveryWorker(
    {
      outbox,
      mailer,
      renderer: new FileMailRenderer(defaultMailTemplatesDirectory(), 'https://app.example.com'),
      box,
      clock,
      wakeUp: new InProcessMailWakeUp(),
      observer: quiet,
      audit: new AuditTrail(audit, clock),
    },
    { ...POLICY, ...policy },
  );
  return {
    worker,
    async close() {
      await worker.stop();
      await mailer.close();
    },
  };
}

async function queueNotice(outbox: InMemoryMailOutbox, clock: Clock): Promise<string> {
  const id = newTimeOrderedId(clock.now());
  await outbox.enqueue({
    id,
    kind: 'password_changed',
    to: 'alice@example.com',
    params: { username: 'alice' },
    sealedToken: undefined,
    userId: USER_ID,
    createdAt: clock.now(),
    deadline: new Date(clock.now().getTime() + 24 * 60 * MINUTE),
  });
  return id;
}

describe('Mail delivery through a relay that is slow, refuses, or drops the connection (real SMTP server)', function () {
  let catcher: SmtpCatcher;
  let outbox: InMemoryMailOutbox;
  let audit: InMemoryAuditLog;
  const closing: (() => Promise<void>)[] = [];
  beforeEach(async () => {
    catcher = await SmtpCatcher.start();
    outbox = new InMemoryMailOutbox();
    audit = new InMemoryAuditLog();
  });
  afterEach(async () => {
    for (const close of closing.splice(0)) await close();
    await catcher.close();
  });
  const instance = (clock: Clock, policy: Partial<DeliveryPolicy> = {}) => {
    const made = anInstance(outbox, catcher, clock, audit, policy);
    closing.push(() => made.close());
    return made;
  };
  const messageIds = () => catcher.received.map((mail) => mail.parsed.messageId);

  it('a relay slower than the lease: the lease is renewed while DATA waits, so another instance never sends it again', async () => {
    // Real time here: the lease (300 ms) must run out several times over while the relay takes 1.5 s to answer.
    const clock = new SystemClock();
    catcher.replyDelayMs = 1_500;
    const a = instance(clock, { leaseMs: 300 });
    const b = instance(clock, { leaseMs: 300 });
    const id = await queueNotice(outbox, clock);
    a.worker.start();
    b.worker.start();

    await eventually('the mail to be recorded as sent', async () => outbox.all()[0]?.status === 'sent');

    expect(catcher.received).to.have.lengthOf(1);
    expect(catcher.mails).to.have.lengthOf(1);
    expect(messageIds()).to.deep.equal([`<${id}@example.com>`]);
    expect(outbox.all()[0]).to.deep.include({ attempts: 1, uncertainAttempts: 0 });
  });

  it('a 550: failed at once and once, recorded with the reply, and a mail.failed event for the account', async () => {
    const clock = new FakeClock();
    catcher.answer = { code: 550, message: 'No such mailbox' };
    const a = instance(clock);
    await queueNotice(outbox, clock);

    await a.worker.deliverDue();
    clock.advance(24 * 60 * MINUTE);
    expect(await a.worker.deliverDue(), 'never tried again').to.equal(0);

    expect(catcher.received).to.have.lengthOf(1);
    expect(outbox.all()[0]?.status).to.equal('failed');
    expect(outbox.all()[0]?.lastError).to.match(/550 No such mailbox/);
    const events = await audit.list({ userId: USER_ID }, { limit: 10 });
    expect(events.map((event) => [event.type, event.details.cause])).to.deep.equal([['mail.failed', 'permanent']]);
  });

  it('a 451: retried with growing delays and delivered once the relay accepts, every attempt with one Message-ID', async () => {
    const clock = new FakeClock();
    catcher.answer = { code: 451, message: 'Try again later' };
    const a = instance(clock);
    const id = await queueNotice(outbox, clock);

    const delays: number[] = [];
    for (let attempt = 0; attempt < 4; attempt += 1) {
      const before = clock.now().getTime();
      expect(await a.worker.deliverDue()).to.equal(1);
      delays.push(outbox.all()[0]!.nextAttemptAt.getTime() - before);
      clock.advance(delays.at(-1)!);
    }
    catcher.answer = 'accept';
    await a.worker.deliverDue();

    expect(delays).to.deep.equal([1_000, 2_000, 4_000, 8_000]);
    expect(catcher.received).to.have.lengthOf(5);
    expect(catcher.mails, 'delivered once').to.have.lengthOf(1);
    expect(new Set(messageIds())).to.deep.equal(new Set([`<${id}@example.com>`]));
    expect(outbox.all()[0]?.status).to.equal('sent');
  });

  it('a connection dropped after DATA: sent again once, after the delay, with the same Message-ID; then given up', async () => {
    const clock = new FakeClock();
    catcher.answer = 'drop';
    const a = instance(clock);
    const id = await queueNotice(outbox, clock);

    await a.worker.deliverDue();
    expect(outbox.all()[0]).to.deep.include({ status: 'pending', uncertainAttempts: 1 });
    clock.advance(10 * MINUTE - 1);
    expect(await a.worker.deliverDue(), 'not sent again before MAIL_UNCERTAIN_RETRY_DELAY_SECONDS').to.equal(0);
    clock.advance(1);
    await a.worker.deliverDue();
    clock.advance(24 * 60 * MINUTE);
    expect(await a.worker.deliverDue()).to.equal(0);

    // At most 1 + MAIL_MAX_UNCERTAIN_RETRIES copies reached the relay, all with one Message-ID.
    expect(catcher.received).to.have.lengthOf(2);
    expect(messageIds()).to.deep.equal([`<${id}@example.com>`, `<${id}@example.com>`]);
    expect(outbox.all()[0]?.status).to.equal('failed');
    const events = await audit.list({ userId: USER_ID }, { limit: 10 });
    expect(events.map((event) => [event.type, event.details.cause])).to.deep.equal([['mail.failed', 'uncertain']]);
  });

  it('a connection dropped after DATA, then a relay that accepts: delivered, one duplicate at most, same Message-ID', async () => {
    const clock = new FakeClock();
    catcher.answer = 'drop';
    const a = instance(clock);
    const id = await queueNotice(outbox, clock);

    await a.worker.deliverDue();
    catcher.answer = 'accept';
    clock.advance(10 * MINUTE);
    await a.worker.deliverDue();

    expect(catcher.received).to.have.lengthOf(2);
    expect(new Set(messageIds())).to.deep.equal(new Set([`<${id}@example.com>`]));
    expect(outbox.all()[0]?.status).to.equal('sent');
  });
});
