import { AesGcmSecretBox } from '../adapters/crypto/aes-gcm-secret-box.js';
import { KyselyMailOutbox } from '../adapters/kysely/kysely-mail-outbox.js';
import { migrateToLatest } from '../adapters/kysely/migrator.js';
import { createPostgresDatabase } from '../adapters/kysely/postgres-database.js';
import { InProcessMailWakeUp } from '../adapters/memory/in-process-mail-wake-up.js';
import { NodemailerSmtpMailer } from '../adapters/nodemailer/nodemailer-smtp-mailer.js';
import { SystemClock } from '../adapters/system/system-clock.js';
import { defaultMailTemplatesDirectory, FileMailRenderer } from '../adapters/templates/file-mail-renderer.js';
import { DEFAULT_DELIVERY_POLICY, MailDeliveryWorker, type MailDeliveryObserver } from '../application/index.js';
import { newTimeOrderedId } from '../domain/index.js';
import { createScratchDatabase } from '../test/support/scratch-postgres.js';
import { SmtpCatcher } from '../test/support/smtp-catcher.js';

/**
 * `npm run bench:mail`: a burst of BENCH_MAIL_COUNT (200) mails through an SMTP relay (smtp-server, in process)
 * that takes BENCH_MAIL_RELAY_MS (1000) to answer each message, on a scratch PostgreSQL outbox, for each pool size
 * in BENCH_MAIL_CONNECTIONS (1,5,10: MAIL_MAX_CONNECTIONS) with BENCH_MAIL_INSTANCES (1) instances. Prints the
 * drain time, the rate, the most messages the relay held at once, and the copies the relay received beyond one
 * per mail. Traffic stays on 127.0.0.1.
 */
const count = Number(process.env.BENCH_MAIL_COUNT ?? 200);
const relayMs = Number(process.env.BENCH_MAIL_RELAY_MS ?? 1_000);
const pools = (process.env.BENCH_MAIL_CONNECTIONS ?? '1,5,10').split(',').map(Number);
const instances = Number(process.env.BENCH_MAIL_INSTANCES ?? 1);
const quiet: MailDeliveryObserver = { attempted() {}, delivered() {}, failed() {}, failing() {}, recovered() {}, passFailed() {} };
const box = new AesGcmSecretBox(new Uint8Array(32).fill(1));
const clock = new SystemClock();

async function burst(url: string, connections: number) {
  const catcher = await SmtpCatcher.start();
  catcher.replyDelayMs = relayMs;
  let inFlight = 0;
  let peak = 0;
  const setup = createPostgresDatabase({ url, onPoolError: () => {} });
  await setup.db.deleteFrom('mail_outbox').execute();
  const outbox = new KyselyMailOutbox(setup.db);
  for (let i = 0; i < count; i += 1) {
    await outbox.enqueue({
      id: newTimeOrderedId(clock.now()),
      kind: 'password_changed',
      to: `user${i}@example.com`,
      params: { username: `user${i}` },
      sealedToken: undefined,
      createdAt: clock.now(),
      deadline: new Date(clock.now().getTime() + 3_600_000),
    });
  }
  const workers = Array.from({ length: instances }, () => {
    const handle = createPostgresDatabase({ url, onPoolError: () => {} });
    const inner = new NodemailerSmtpMailer({ url: catcher.url, from: 'no-reply@example.com', maxConnections: connections });
    const mailer = {
      async send(mail: Parameters<typeof inner.send>[0]) {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        try {
          return await inner.send(mail);
        } finally {
          inFlight -= 1;
        }
      },
      close: () => inner.close(),
    };
    const worker = new MailDeliveryWorker(
      {
        outbox: new KyselyMailOutbox(handle.db),
        mailer,
        renderer: new FileMailRenderer(defaultMailTemplatesDirectory(), 'https://app.example.com'),
        box,
        clock,
        wakeUp: new InProcessMailWakeUp(),
        observer: quiet,
      },
      { ...DEFAULT_DELIVERY_POLICY, concurrency: connections, messageIdDomain: 'example.com' },
    );
    return { worker, mailer, handle };
  });
  const started = performance.now();
  for (const { worker } of workers) worker.start();
  while ((await outbox.pendingCount()) > 0) await new Promise((resolve) => setTimeout(resolve, 50));
  const seconds = (performance.now() - started) / 1000;
  for (const { worker, mailer, handle } of workers) {
    await worker.stop();
    await mailer.close();
    await handle.close();
  }
  await setup.close();
  await catcher.close();
  const copies = catcher.received.length - new Set(catcher.received.map((mail) => mail.parsed.messageId)).size;
  return { connections, seconds, rate: count / seconds, peak, copies, accepted: catcher.mails.length };
}

const scratch = await createScratchDatabase();
try {
  const setup = createPostgresDatabase({ url: scratch.url, onPoolError: () => {} });
  await migrateToLatest(setup.db);
  await setup.close();
  console.log(`${count} mails, relay ${relayMs} ms a message, ${instances} instance(s)\n`);
  console.log('| MAIL_MAX_CONNECTIONS | drained in | mails/s | at the relay at once | copies beyond one |');
  console.log('|---:|---:|---:|---:|---:|');
  for (const connections of pools) {
    const r = await burst(scratch.url, connections);
    console.log(`| ${r.connections} | ${r.seconds.toFixed(1)} s | ${r.rate.toFixed(2)} | ${r.peak} | ${r.copies} |`);
  }
} finally {
  await scratch.drop();
}
