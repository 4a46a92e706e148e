import type { AttemptOutcome } from '../../application/core/durable-queue/index.js';
import type { Mailer, OutgoingMail } from '../../application/ports/mailer.js';

/** Keeps what it is given, for tests that read the mail a use case caused. */
export class InMemoryMailer implements Mailer {
  readonly sent: OutgoingMail[] = [];

  async send(mail: OutgoingMail): Promise<AttemptOutcome> {
    this.sent.push(mail);
    return { kind: 'delivered' };
  }

  async close(): Promise<void> {}
}
