import type { Mailer, RenderedMail } from '../../application/ports/mailer.js';

/** Keeps what it is given, for tests that read the mail a use case caused. */
export class InMemoryMailer implements Mailer {
  readonly sent: RenderedMail[] = [];

  async send(mail: RenderedMail): Promise<void> {
    this.sent.push(mail);
  }

  async close(): Promise<void> {}
}
