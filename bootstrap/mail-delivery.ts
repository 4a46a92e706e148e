import type { Logger } from 'pino';
import type { PostgresMailListener } from '../adapters/kysely/postgres-mail-listener.js';
import type { MailDeliveryWorker, Mailer, MailRequestWorker } from '../application/index.js';

/** The delivery worker with what it runs on, started after the server listens and drained at shutdown. */
export class MailDelivery {
  constructor(
    private readonly worker: MailDeliveryWorker | undefined,
    private readonly mailer: Mailer,
    private readonly listener: PostgresMailListener | undefined,
    private readonly logger: Logger,
    /** Resolves the stored link requests; it sends nothing, so it runs whether this instance sends mail or not. */
    private readonly requests?: MailRequestWorker,
  ) {}

  async start(): Promise<void> {
    this.requests?.start();
    if (!this.worker) {
      this.logger.warn('MAIL_ENABLED=false: mail is queued but not sent by this instance');
      return;
    }
    await this.listener?.start();
    this.worker.start();
  }

  /** The pass under way finishes (its mails are sent and recorded); what is left waits in the outbox. */
  async stop(): Promise<void> {
    await this.listener?.close();
    await this.requests?.stop();
    await this.worker?.stop();
    await this.mailer.close();
  }
}
