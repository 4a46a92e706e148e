import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import type { AttemptOutcome } from '../../application/core/durable-queue/index.js';
import type { Mailer, OutgoingMail } from '../../application/ports/mailer.js';
import { companionPath } from './development-outbox.js';

/**
 * Development without SMTP_URL: each mail is logged with its link and written as an `.eml` file (open it in any
 * mail program) under `directory`, with a decoded `.json` companion that `/dev/mail` lists. Never used in production, where the links would sit in logs.
 */
export class DevelopmentFileMailer implements Mailer {
  readonly #composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  #sequence = 0;

  constructor(
    private readonly directory: string,
    private readonly from: string,
    private readonly logger: Logger,
  ) {}

  async send(mail: OutgoingMail): Promise<AttemptOutcome> {
    const info = await this.#composer.sendMail({ from: this.from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, messageId: mail.messageId });
    await mkdir(this.directory, { recursive: true });
    this.#sequence += 1;
    const file = join(this.directory, `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}-${this.#sequence}.eml`);
    await writeFile(file, info.message as Buffer, { mode: 0o600 });
    // Decoded, for the development mail page (`/dev/mail`), which then needs no MIME parser.
    const companion = { at: new Date().toISOString(), to: mail.to, subject: mail.subject, text: mail.text };
    await writeFile(companionPath(file), JSON.stringify(companion), { mode: 0o600 });
    this.logger.info({ to: mail.to, subject: mail.subject, link: mail.link, file }, `mail to ${mail.to}: ${mail.subject}${mail.link ? ` ${mail.link}` : ''}`);
    return { kind: 'delivered' };
  }

  async close(): Promise<void> {}
}
