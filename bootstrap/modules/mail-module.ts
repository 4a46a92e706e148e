import { join } from 'node:path';
import { ContainerModule } from 'inversify';
import type { Logger } from 'pino';
import { PostgresMailListener } from '../../adapters/kysely/postgres-mail-listener.js';
import { InProcessMailWakeUp } from '../../adapters/memory/in-process-mail-wake-up.js';
import { DevelopmentFileMailer } from '../../adapters/nodemailer/development-file-mailer.js';
import { NodemailerSmtpMailer } from '../../adapters/nodemailer/nodemailer-smtp-mailer.js';
import type { PrometheusMetrics } from '../../adapters/prometheus/prometheus-metrics.js';
import { defaultMailTemplatesDirectory, FileMailRenderer } from '../../adapters/templates/file-mail-renderer.js';
import {
  DEFAULT_MAIL_POLICY,
  MailDeliveryWorker,
  MailQueue,
  type Clock,
  type MailDeliveryObserver,
  type Mailer,
  type SecretBox,
} from '../../application/index.js';
import type { Config } from '../config.js';
import { MailDelivery } from '../mail-delivery.js';
import { TOKENS } from '../tokens.js';

/** Where the development outbox keeps its `.eml` files, beside the embedded database. */
export function developmentOutboxDirectory(dataDir: string): string {
  return join(dataDir, 'outbox');
}

export const mailModule = new ContainerModule(({ bind }) => {
  bind(TOKENS.MailWakeUp).toConstantValue(new InProcessMailWakeUp());
  bind(TOKENS.MailQueue).toResolvedValue(
    (config: Config, box: SecretBox, clock: Clock) =>
      new MailQueue(box, clock, { ...DEFAULT_MAIL_POLICY, verifyTokenTtlMs: config.mail.verifyTokenTtlMs, resetTokenTtlMs: config.mail.resetTokenTtlMs }),
    [TOKENS.Config, TOKENS.SecretBox, TOKENS.Clock],
  );
  bind(TOKENS.MailDelivery).toDynamicValue(async ({ getAsync }) => {
    const config = await getAsync(TOKENS.Config);
    const logger = (await getAsync(TOKENS.Logger)).child({ component: 'mail' });
    const wakeUp = await getAsync(TOKENS.MailWakeUp);
    const outbox = await getAsync(TOKENS.MailOutbox);
    const publicAddress = await getAsync(TOKENS.PublicAddress);
    const mailer: Mailer =
      config.mail.smtpUrl === undefined
        ? new DevelopmentFileMailer(developmentOutboxDirectory(config.dataDir), config.mail.from, logger)
        : new NodemailerSmtpMailer({ url: config.mail.smtpUrl, from: config.mail.from });
    if (!config.mail.enabled) return new MailDelivery(undefined, mailer, undefined, logger);
    const worker = new MailDeliveryWorker(
      outbox,
      mailer,
      new FileMailRenderer(
        config.mail.templatesDir ?? defaultMailTemplatesDirectory(),
        // APP_URL names a team's own front end; unset, links open the service's own pages.
        config.mail.appUrl ?? (() => publicAddress.url),
      ),
      await getAsync(TOKENS.SecretBox),
      await getAsync(TOKENS.Clock),
      wakeUp,
      deliveryObserver(logger, await getAsync(TOKENS.Metrics)),
    );
    const listener =
      config.database.kind === 'postgres'
        ? new PostgresMailListener({
            url: config.database.url,
            onNotify: () => wakeUp.wake(),
            onError: (error) => logger.warn({ err: error.message }, 'mail listener connection lost; polling until it is back'),
          })
        : undefined;
    return new MailDelivery(worker, mailer, listener, logger);
  });
});

/** Logs name the recipient's domain only: a log is no place for a list of users' addresses. */
function deliveryObserver(logger: Logger, metrics: PrometheusMetrics): MailDeliveryObserver {
  const about = (mail: { id: string; kind: string; to: string; attempts: number }) => ({
    mail: mail.id,
    kind: mail.kind,
    domain: mail.to.slice(mail.to.lastIndexOf('@') + 1),
    attempt: mail.attempts + 1,
  });
  return {
    sent(mail, seconds) {
      metrics.countMail('sent', seconds);
      logger.info({ ...about(mail), seconds }, 'mail sent');
    },
    retried(mail, error, nextAttemptAt) {
      metrics.countMail('retried');
      logger.warn({ ...about(mail), err: error instanceof Error ? error.message : String(error), nextAttemptAt }, 'mail not accepted; will retry');
    },
    failed(mail, reason) {
      metrics.countMail('failed');
      logger.error({ ...about(mail), reason }, 'mail given up');
    },
    passFailed(error) {
      logger.warn({ err: error }, 'mail delivery pass failed; retrying at the next wake-up');
    },
  };
}
