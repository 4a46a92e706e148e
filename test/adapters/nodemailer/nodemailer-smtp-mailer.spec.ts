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
import { classify, NodemailerSmtpMailer } from '../../../adapters/nodemailer/nodemailer-smtp-mailer.js';
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
  messageId: '<0193b6c2-7c1e-7d3a-9a57-0c4f2b1e8a90@example.com>',
};

const quiet: MailDeliveryObserver = { attempted() {}, delivered() {}, failed() {}, failing() {}, recovered() {}, passFailed() {} };

describe('NodemailerSmtpMailer against a real SMTP server', function () {
  let catcher: SmtpCatcher;
  let mailer: NodemailerSmtpMailer | undefined;
  beforeEach(async () => {
    catcher = await SmtpCatcher.start();
  });
  afterEach(async () => {
    await mailer?.close();
    mailer = undefined;
    await catcher.close();
  });

  it('delivers one message with its sender, recipient, subject, text, HTML and Message-ID', async () => {
    mailer = new NodemailerSmtpMailer({ url: catcher.url, from: 'Auth Service <no-reply@example.com>' });
    expect(await mailer.send(RENDERED)).to.deep.equal({ kind: 'delivered' });
    expect(catcher.mails).to.have.lengthOf(1);
    const [{ envelopeTo, parsed }] = catcher.mails as [(typeof catcher.mails)[0]];
    expect(envelopeTo).to.deep.equal(['alice@example.com']);
    expect(parsed.from?.value).to.deep.equal([{ name: 'Auth Service', address: 'no-reply@example.com' }]);
    expect(parsed.subject).to.equal(RENDERED.subject);
    expect(parsed.text?.trim()).to.equal(RENDERED.text);
    expect(parsed.html).to.include('href="https://app.example.com/reset-password?token=abc"');
    expect(parsed.messageId).to.equal(RENDERED.messageId);
  });

  it('calls a 550 to the message a permanent failure', async () => {
    catcher.answer = { code: 550, message: 'No such mailbox' };
    mailer = new NodemailerSmtpMailer({ url: catcher.url, from: 'no-reply@example.com' });
    const outcome = await mailer.send(RENDERED);
    expect(outcome.kind).to.equal('permanent');
    expect(outcome.kind !== 'delivered' && outcome.reason).to.match(/^DATA: .*550/);
  });

  it('calls a 451 a transient failure', async () => {
    catcher.answer = { code: 451, message: 'Try again later' };
    mailer = new NodemailerSmtpMailer({ url: catcher.url, from: 'no-reply@example.com' });
    expect((await mailer.send(RENDERED)).kind).to.equal('transient');
  });

  it('calls a connection dropped after the message went out an unknown outcome', async () => {
    catcher.answer = 'drop';
    mailer = new NodemailerSmtpMailer({ url: catcher.url, from: 'no-reply@example.com' });
    expect((await mailer.send(RENDERED)).kind).to.equal('unknown');
    expect(catcher.received, 'the relay did read the message').to.have.lengthOf(1);
  });

  it('calls no final reply within the reply timeout an unknown outcome', async () => {
    catcher.hold = true;
    mailer = new NodemailerSmtpMailer({ url: catcher.url, from: 'no-reply@example.com', timeouts: { replyMs: 300 } });
    expect((await mailer.send(RENDERED)).kind).to.equal('unknown');
  });

  it('waits for a slow final reply rather than giving up on it', async () => {
    catcher.replyDelayMs = 1_500;
    mailer = new NodemailerSmtpMailer({ url: catcher.url, from: 'no-reply@example.com', timeouts: { replyMs: 5_000 } });
    expect(await mailer.send(RENDERED)).to.deep.equal({ kind: 'delivered' });
    expect(catcher.mails).to.have.lengthOf(1);
  });

  it('calls a refused connection a transient failure: nothing was handed over', async () => {
    mailer = new NodemailerSmtpMailer({ url: `smtp://127.0.0.1:${await freePort()}`, from: 'a@example.com', timeouts: { connectionMs: 2_000 } });
    expect((await mailer.send(RENDERED)).kind).to.equal('transient');
  });

  it('classifies by reply code and command: a 5xx about the relay itself (AUTH, EHLO) is worth another try', () => {
    expect(classify({ responseCode: 535, command: 'AUTH PLAIN', message: 'bad credentials' }, false).kind).to.equal('transient');
    expect(classify({ responseCode: 550, command: 'RCPT TO', message: 'no such user' }, false).kind).to.equal('permanent');
    expect(classify({ responseCode: 421, command: 'DATA', message: 'closing' }, true).kind, 'a reply is an answer').to.equal('transient');
    expect(classify({ code: 'ETIMEDOUT', command: 'CONN', message: 'Timeout' }, true).kind).to.equal('unknown');
    expect(classify({ code: 'ETIMEDOUT', command: 'CONN', message: 'Timeout' }, false).kind).to.equal('transient');
  });
});

describe('MailDeliveryWorker over SMTP', function () {
  it('delivers a mail exactly once when the SMTP server comes up after an outage', async () => {
    const port = await freePort();
    const clock = new FakeClock();
    const box = new AesGcmSecretBox(new Uint8Array(32).fill(5));
    const outbox = new InMemoryMailOutbox();
    const mailer = new NodemailerSmtpMailer({ url: `smtp://127.0.0.1:${port}`, from: 'no-reply@example.com', timeouts: { connectionMs: 2_000 } });
    const worker = new MailDeliveryWorker({
      outbox,
      mailer,
      renderer: new FileMailRenderer(defaultMailTemplatesDirectory(), 'https://app.example.com'),
      box,
      clock,
      wakeUp: new InProcessMailWakeUp(),
      observer: quiet,
    });
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
    const renderer = new FileMailRenderer(defaultMailTemplatesDirectory(), 'https://app.example.com');
    const worker = new MailDeliveryWorker({ outbox, mailer, renderer, box, clock, wakeUp, observer: quiet });
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
