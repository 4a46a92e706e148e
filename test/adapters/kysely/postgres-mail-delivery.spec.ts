import { expect } from 'chai';
import { AesGcmSecretBox } from '../../../adapters/crypto/aes-gcm-secret-box.js';
import type { DatabaseHandle } from '../../../adapters/kysely/database-handle.js';
import { KyselyMailOutbox } from '../../../adapters/kysely/kysely-mail-outbox.js';
import { KyselyUnitOfWork } from '../../../adapters/kysely/kysely-unit-of-work.js';
import { migrateToLatest } from '../../../adapters/kysely/migrator.js';
import { PostgresMailListener } from '../../../adapters/kysely/postgres-mail-listener.js';
import { createPostgresDatabase } from '../../../adapters/kysely/postgres-database.js';
import { InProcessMailWakeUp } from '../../../adapters/memory/in-process-mail-wake-up.js';
import { NodemailerSmtpMailer } from '../../../adapters/nodemailer/nodemailer-smtp-mailer.js';
import { SystemClock } from '../../../adapters/system/system-clock.js';
import { defaultMailTemplatesDirectory, FileMailRenderer } from '../../../adapters/templates/file-mail-renderer.js';
import { KyselyUserRepository } from '../../../adapters/kysely/kysely-user-repository.js';
import { InMemoryRateLimiter } from '../../../adapters/memory/in-memory-rate-limiter.js';
import {
  MailDeliveryWorker,
  MailQueue,
  MailRequestWorker,
  MailThrottle,
  RequestPasswordReset,
  ResolveMailRequest,
  type MailDeliveryObserver,
} from '../../../application/index.js';
import { registeredUser } from '../../contract/registered-user.js';
import { newTimeOrderedId } from '../../../domain/index.js';
import { eventually } from '../../support/eventually.js';
import { scratchDatabaseOrSkip, type ScratchDatabase } from '../../support/scratch-postgres.js';
import { SmtpCatcher } from '../../support/smtp-catcher.js';

const quiet: MailDeliveryObserver = { attempted() {}, delivered() {}, failed() {}, failing() {}, recovered() {}, passFailed() {} };
const box = new AesGcmSecretBox(new Uint8Array(32).fill(11));
const clock = new SystemClock();

/** One instance of the service as far as mail goes: its own pool, worker and SMTP connection. */
function anInstance(url: string, smtpUrl: string, leaseMs = 60_000) {
  const handle = createPostgresDatabase({ url, onPoolError: () => {} });
  const mailer = new NodemailerSmtpMailer({ url: smtpUrl, from: 'no-reply@example.com' });
  const wakeUp = new InProcessMailWakeUp();
  const outbox = new KyselyMailOutbox(handle.db);
  const renderer = new FileMailRenderer(defaultMailTemplatesDirectory(), 'https://app.example.com');
  const worker = new MailDeliveryWorker(
    { outbox, mailer, renderer, box, clock, wakeUp, observer: quiet },
    {
      leaseMs,
      maxBatch: 3,
      concurrency: 1,
      pollIntervalMs: 100,
      retry: { backoff: { baseMs: 100, maxMs: 1_000 }, uncertainRetryDelayMs: 100, maxUncertainRetries: 1 },
      messageIdDomain: 'example.com',
    },
  );
  const requestsWakeUp = new InProcessMailWakeUp();
  wakeUp.alsoWake(requestsWakeUp);
  const unitOfWork = new KyselyUnitOfWork(handle.db, { onMailCommitted: () => wakeUp.wake() });
  const mail = new MailQueue(box, clock);
  const requests = new MailRequestWorker(outbox, new ResolveMailRequest(unitOfWork, mail, clock), clock, requestsWakeUp, quiet, {
    leaseMs,
    maxBatch: 10,
    concurrency: 1,
    pollIntervalMs: 100,
    retry: { backoff: { baseMs: 100, maxMs: 1_000 }, uncertainRetryDelayMs: 100, maxUncertainRetries: 0 },
  });
  const unlimited = { limit: 1_000, windowMs: 3_600_000 };
  return {
    handle,
    outbox,
    worker,
    requests,
    wakeUp,
    unitOfWork,
    requestPasswordReset: new RequestPasswordReset(unitOfWork, mail, new MailThrottle(new InMemoryRateLimiter(unlimited, clock), new InMemoryRateLimiter(unlimited, clock))),
    async close() {
      await requests.stop();
      await worker.stop();
      await mailer.close();
      await handle.close();
    },
  };
}

async function queue(unitOfWork: KyselyUnitOfWork, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => newTimeOrderedId(clock.now()));
  await unitOfWork.run(async (stores) => {
    for (const [i, id] of ids.entries()) {
      await stores.outbox.enqueue({
        id,
        kind: 'password_changed',
        to: `user${i}@example.com`,
        params: { username: `user${i}` },
        sealedToken: undefined,
        createdAt: clock.now(),
        deadline: new Date(clock.now().getTime() + 3_600_000),
      });
    }
  });
  return ids;
}

describe('Mail delivery on PostgreSQL', function () {
  let scratch: ScratchDatabase | undefined;
  let catcher: SmtpCatcher;
  let setup: DatabaseHandle;

  before(async function () {
    scratch = await scratchDatabaseOrSkip(this);
    setup = createPostgresDatabase({ url: scratch.url, onPoolError: () => {} });
    await migrateToLatest(setup.db);
  });

  beforeEach(async () => {
    await setup.db.deleteFrom('mail_outbox').execute();
    catcher = await SmtpCatcher.start();
  });

  afterEach(async () => catcher.close());

  after(async function () {
    await setup?.close();
    await scratch?.drop();
  });

  it('has two instances sharing one outbox send each mail exactly once', async () => {
    const a = anInstance(scratch!.url, catcher.url);
    const b = anInstance(scratch!.url, catcher.url);
    try {
      a.worker.start();
      b.worker.start();
      const ids = [...(await queue(a.unitOfWork, 15)), ...(await queue(b.unitOfWork, 15))];

      await eventually('every mail to be sent', async () => catcher.mails.length >= ids.length && (await a.outbox.pendingCount()) === 0);

      const recipients = catcher.mails.map((mail) => mail.envelopeTo[0]);
      expect(recipients).to.have.lengthOf(30);
      expect(new Set(recipients).size).to.equal(15);
      expect(recipients.filter((to) => to === 'user0@example.com')).to.have.lengthOf(2);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('sends after a restart what an instance left pending, and what a dead worker held once its lease expires', async () => {
    const crashed = anInstance(scratch!.url, catcher.url, 300);
    const [leftPending] = await queue(crashed.unitOfWork, 1);
    const [leased] = await queue(crashed.unitOfWork, 1);
    // The dead instance had claimed the second mail (its lease committed) and never sent it.
    await crashed.handle.db.updateTable('mail_outbox').set({ next_attempt_at: new Date(clock.now().getTime() + 60_000) }).where('id', '=', leftPending!).execute();
    const claimed = await crashed.outbox.claimDue(clock.now(), 300, 10);
    expect(claimed.map((mail) => mail.id)).to.deep.equal([leased]);
    await crashed.handle.db.updateTable('mail_outbox').set({ next_attempt_at: clock.now() }).where('id', '=', leftPending!).execute();
    await crashed.close();

    const restarted = anInstance(scratch!.url, catcher.url);
    try {
      restarted.worker.start();
      await eventually('both mails to be sent', async () => (await restarted.outbox.pendingCount()) === 0);
      expect(catcher.mails).to.have.lengthOf(2);
    } finally {
      await restarted.close();
    }
  });

  it('mails a reset link asked for before a crash: the request is committed before the answer, resolved after the restart', async () => {
    const crashed = anInstance(scratch!.url, catcher.url, 300);
    const alice = await registeredUser(new KyselyUserRepository(crashed.handle.db), clock.now(), 'crash');
    const bob = await registeredUser(new KyselyUserRepository(crashed.handle.db), clock.now(), 'crash');
    // Answered (the call returned), then the process died before any worker ran: the request is all there is.
    await crashed.requestPasswordReset.execute({ email: alice.email.value, client: '198.51.100.7' });
    // The second request was claimed by the dying instance's request worker (its lease committed), never resolved.
    await crashed.requestPasswordReset.execute({ email: bob.email.value, client: '198.51.100.7' });
    await crashed.handle.db.updateTable('mail_outbox').set({ next_attempt_at: new Date(clock.now().getTime() + 60_000) }).where('recipient', '=', alice.email.value).execute();
    expect(await crashed.outbox.claimDue(clock.now(), 300, 10, 'requests')).to.have.lengthOf(1);
    await crashed.handle.db.updateTable('mail_outbox').set({ next_attempt_at: clock.now() }).where('recipient', '=', alice.email.value).execute();
    await crashed.close();
    expect(catcher.mails).to.have.lengthOf(0);

    const restarted = anInstance(scratch!.url, catcher.url);
    try {
      restarted.requests.start();
      restarted.worker.start();
      await eventually('both reset links to be mailed', async () => catcher.mails.length >= 2 && (await restarted.outbox.pendingCount()) === 0);
      expect(catcher.mails.map((mail) => mail.envelopeTo[0]).sort()).to.deep.equal([alice.email.value, bob.email.value].sort());
      const kinds = await setup.db.selectFrom('mail_outbox').select(['kind', 'status']).orderBy('created_at').execute();
      expect(kinds.filter((row) => row.kind === 'reset_password')).to.have.lengthOf(2);
      expect(kinds.every((row) => row.status === 'sent')).to.equal(true);
    } finally {
      await restarted.close();
    }
  });

  it('wakes another instance\'s worker through LISTEN/NOTIFY when a mail is committed', async () => {
    const writer = anInstance(scratch!.url, catcher.url);
    let notified = 0;
    const listener = new PostgresMailListener({ url: scratch!.url, onNotify: () => (notified += 1), onError: () => {} });
    try {
      await listener.start();
      const afterConnect = notified;
      await queue(writer.unitOfWork, 1);
      await eventually('a notification', async () => notified > afterConnect);

      // A rolled-back unit notifies nobody.
      const settled = notified;
      await writer.unitOfWork
        .run(async (stores) => {
          await stores.outbox.enqueue({ id: newTimeOrderedId(clock.now()), kind: 'password_changed', to: 'x@example.com', params: {}, sealedToken: undefined, createdAt: clock.now(), deadline: clock.now() });
          throw new Error('rolled back');
        })
        .catch(() => undefined);
      await queue(writer.unitOfWork, 1);
      await eventually('the next notification', async () => notified > settled);
      expect(notified).to.equal(settled + 1);
    } finally {
      await listener.close();
      await writer.close();
    }
  });
});
