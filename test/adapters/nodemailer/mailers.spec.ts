import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import pino from 'pino';
import { InMemoryMailer } from '../../../adapters/memory/in-memory-mailer.js';
import { InProcessMailWakeUp } from '../../../adapters/memory/in-process-mail-wake-up.js';
import { DevelopmentFileMailer } from '../../../adapters/nodemailer/development-file-mailer.js';
import { NodemailerSmtpMailer } from '../../../adapters/nodemailer/nodemailer-smtp-mailer.js';
import { mailerContract, type DeliveredMail } from '../../contract/mailer.contract.js';
import { mailWakeUpContract } from '../../contract/mail-wake-up.contract.js';
import { SmtpCatcher } from '../../support/smtp-catcher.js';

function fromParsed(parsed: ParsedMail): DeliveredMail {
  const to = parsed.to === undefined ? [] : [parsed.to].flat().flatMap((group) => group.value.map((address) => address.address ?? ''));
  return {
    to: to[0] ?? '',
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    html: typeof parsed.html === 'string' ? parsed.html : '',
    messageId: parsed.messageId,
  };
}

mailerContract('InMemoryMailer', async () => {
  const mailer = new InMemoryMailer();
  return { mailer, delivered: async () => mailer.sent, async close() {} };
});

mailerContract('NodemailerSmtpMailer', async () => {
  const catcher = await SmtpCatcher.start();
  return {
    mailer: new NodemailerSmtpMailer({ url: catcher.url, from: 'no-reply@example.com' }),
    delivered: async () => catcher.mails.map((mail) => fromParsed(mail.parsed)),
    close: () => catcher.close(),
  };
});

mailerContract('DevelopmentFileMailer', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'auth-outbox-'));
  return {
    mailer: new DevelopmentFileMailer(directory, 'no-reply@example.com', pino({ level: 'silent' })),
    async delivered() {
      // Names start with the time and end with a sequence number: sorted, they are in sending order.
      const names = (await readdir(directory)).filter((name) => name.endsWith('.eml')).sort((a, b) => Number(/-(\d+)\.eml$/.exec(a)?.[1]) - Number(/-(\d+)\.eml$/.exec(b)?.[1]));
      return Promise.all(names.map(async (name) => fromParsed(await simpleParser(await readFile(join(directory, name))))));
    },
    close: () => rm(directory, { recursive: true, force: true }),
  };
});

mailWakeUpContract('InProcessMailWakeUp', () => new InProcessMailWakeUp());
