import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { expect } from 'chai';
import { simpleParser } from 'mailparser';
import pino from 'pino';
import { AesGcmSecretBox } from '../../../adapters/crypto/aes-gcm-secret-box.js';
import { InMemoryMailOutbox } from '../../../adapters/memory/in-memory-mail-outbox.js';
import { InProcessMailWakeUp } from '../../../adapters/memory/in-process-mail-wake-up.js';
import { DevelopmentFileMailer } from '../../../adapters/nodemailer/development-file-mailer.js';
import { NodemailerSmtpMailer } from '../../../adapters/nodemailer/nodemailer-smtp-mailer.js';
import { defaultMailTemplatesDirectory, FileMailRenderer } from '../../../adapters/templates/file-mail-renderer.js';
import { MailDeliveryWorker, type MailDeliveryObserver } from '../../../application/index.js';
import { newTimeOrderedId } from '../../../domain/index.js';
import { eventually } from '../../support/eventually.js';
import { FakeClock } from '../../support/fake-clock.js';
import { SmtpCatcher } from '../../support/smtp-catcher.js';
import { freePort } from '../../support/throwaway-services.js';

const RENDERED = {
  to: 'alice@example.com',
  subject: 'Reset your password',
  text: 'Open https://app.example.com/reset-password?token=abc',
  html: '<p><a href="https://app.example.com/reset-password?token=abc">Reset</a></p>',
  link: 'https://app.example.com/reset-password?token=abc',
};

const quiet: MailDeliveryObserver = { sent() {}, retried() {}, failed() {}, passFailed() {} };

describe('NodemailerSmtpMailer against a real SMTP server', function () {
  let catcher: SmtpCatcher;
  beforeEach(async () => {
    catcher = await SmtpCatcher.start();
  });
  afterEach(async () => catcher.close());

  it('delivers one message with its sender, recipient, subject, text and HTML', async () => {
    const mailer = new NodemailerSmtpMailer({ url: catcher.url, from: 'Auth Service <no-reply@example.com>' });
    try {
      await mailer.send(RENDERED);
    } finally {
      await mailer.close();
    }
    expect(catcher.mails).to.have.lengthOf(1);
    const [{ envelopeTo, parsed }] = catcher.mails as [(typeof catcher.mails)[0]];
    expect(envelopeTo).to.deep.equal(['alice@example.com']);
    expect(parsed.from?.value).to.deep.equal([{ name: 'Auth Service', address: 'no-reply@example.com' }]);
    expect(parsed.subject).to.equal(RENDERED.subject);
    expect(parsed.text?.trim()).to.equal(RENDERED.text);
    expect(parsed.html).to.include('href="https://app.example.com/reset-password?token=abc"');
  });

  it('rejects while no server answers', async () => {
    const mailer = new NodemailerSmtpMailer({ url: `smtp://127.0.0.1:${await freePort()}`, from: 'a@example.com', timeoutMs: 2_000 });
    try {
      const error = await mailer.send(RENDERED).catch((caught: unknown) => caught);
      expect(error).to.be.instanceOf(Error);
    } finally {
      await mailer.close();
    }
  });
});

describe('MailDeliveryWorker over SMTP', function () {
  it('delivers a mail exactly once when the SMTP server comes up after an outage', async () => {
    const port = await freePort();
    const clock = new FakeClock();
    const box = new AesGcmSecretBox(new Uint8Array(32).fill(5));
    const outbox = new InMemoryMailOutbox();
    const mailer = new NodemailerSmtpMailer({ url: `smtp://127.0.0.1:${port}`, from: 'no-reply@example.com', timeoutMs: 2_000 });
    const worker = new MailDeliveryWorker(
      outbox,
      mailer,
      new FileMailRenderer(defaultMailTemplatesDirectory(), 'https://app.example.com'),
      box,
      clock,
      new InProcessMailWakeUp(),
      quiet,
    );
    await outbox.enqueue({
      id: newTimeOrderedId(clock.now()),
      kind: 'verify_email',
      to: 'alice@example.com',
      params: { username: 'alice', valid_for: '24 hours' },
      sealedToken: box.seal('the-token'),
      createdAt: clock.now(),
      deadline: new Date(clock.now().getTime() + 86_400_000),
    });
    let catcher: SmtpCatcher | undefined;
    try {
      await worker.deliverDue();
      expect(outbox.all()[0]).to.deep.include({ status: 'pending', attempts: 1 });

      catcher = await SmtpCatcher.start(port);
      clock.advance(1_000);
      await worker.deliverDue();
      clock.advance(60_000);
      await worker.deliverDue();

      expect(catcher.mails).to.have.lengthOf(1);
      expect(catcher.mails[0]!.parsed.text).to.include('https://app.example.com/verify-email?token=the-token');
      expect(outbox.all()[0]?.status).to.equal('sent');
    } finally {
      await mailer.close();
      await catcher?.close();
    }
  });
});

describe('MailDeliveryWorker at shutdown', function () {
  it('waits for the mail being sent to be accepted and recorded before it stops', async () => {
    const catcher = await SmtpCatcher.start();
    catcher.hold = true;
    const clock = new FakeClock();
    const box = new AesGcmSecretBox(new Uint8Array(32).fill(5));
    const outbox = new InMemoryMailOutbox();
    const mailer = new NodemailerSmtpMailer({ url: catcher.url, from: 'no-reply@example.com' });
    const wakeUp = new InProcessMailWakeUp();
    const worker = new MailDeliveryWorker(outbox, mailer, new FileMailRenderer(defaultMailTemplatesDirectory(), 'https://app.example.com'), box, clock, wakeUp, quiet);
    try {
      await outbox.enqueue({
        id: newTimeOrderedId(clock.now()),
        kind: 'password_changed',
        to: 'alice@example.com',
        params: { username: 'alice' },
        sealedToken: undefined,
        createdAt: clock.now(),
        deadline: new Date(clock.now().getTime() + 86_400_000),
      });
      worker.start();
      await eventually('the message to reach the server', async () => catcher.held.length === 1);

      let stopped = false;
      const stopping = worker.stop().then(() => (stopped = true));
      await new Promise((resolve) => setImmediate(resolve));
      expect(stopped, 'stopped while the server had not answered').to.equal(false);
      catcher.held[0]!();
      await stopping;

      expect(catcher.mails).to.have.lengthOf(1);
      expect(outbox.all()[0]?.status).to.equal('sent');
    } finally {
      await mailer.close();
      await catcher.close();
    }
  });
});

describe('DevelopmentFileMailer', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'auth-outbox-'));
  });
  afterEach(async () => rm(directory, { recursive: true, force: true }));

  it('writes each mail as an .eml file and logs its link', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
        callback();
      },
    });
    const mailer = new DevelopmentFileMailer(join(directory, 'outbox'), 'Auth Service <no-reply@localhost>', pino(sink));

    await mailer.send(RENDERED);

    // Beside the .eml, its decoded .json companion, which /dev/mail lists.
    const files = (await readdir(join(directory, 'outbox'))).filter((name) => name.endsWith('.eml'));
    expect(files).to.have.lengthOf(1);
    expect(files[0]).to.match(/\.eml$/);
    const parsed = await simpleParser(await readFile(join(directory, 'outbox', files[0]!)));
    expect(parsed.subject).to.equal(RENDERED.subject);
    expect(parsed.html).to.include(RENDERED.link);
    expect(lines.some((line) => line.link === RENDERED.link && String(line.msg).includes(RENDERED.link))).to.equal(true);
  });
});
