import nodemailer from 'nodemailer';
import type { Mailer, RenderedMail } from '../../application/ports/mailer.js';

export interface SmtpMailerOptions {
  /** `smtp://user:pass@host:587` (STARTTLS when the server offers it) or `smtps://…` (TLS from the start). */
  readonly url: string;
  /** MAIL_FROM: the From header and envelope sender. */
  readonly from: string;
  /** Bounds each stage of an exchange, so a server that hangs delays one mail, not the worker. Default 10 s. */
  readonly timeoutMs?: number;
}

/** Sends through an SMTP server with nodemailer; one pooled connection, reused between mails. */
export class NodemailerSmtpMailer implements Mailer {
  readonly #transport;

  constructor(options: SmtpMailerOptions) {
    const timeout = options.timeoutMs ?? 10_000;
    this.#transport = nodemailer.createTransport(
      { url: options.url, pool: true, maxConnections: 1, connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout },
      { from: options.from },
    );
  }

  async send(mail: RenderedMail): Promise<void> {
    await this.#transport.sendMail({ to: mail.to, subject: mail.subject, text: mail.text, html: mail.html });
  }

  async close(): Promise<void> {
    this.#transport.close();
  }
}
