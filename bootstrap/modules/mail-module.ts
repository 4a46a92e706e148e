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
  DEFAULT_DELIVERY_POLICY,
  DEFAULT_MAIL_POLICY,
  MailDeliveryWorker,
  MailQueue,
  MailRequestWorker,
  ResolveMailRequest,
  type MailRequestObserver,
  PurgeSettledMail,
  type Clock,
  type MailOutbox,
  type MailDeliveryObserver,
  type Mailer,
  type SecretBox,
} from '../../application/index.js';
import type { Config } from '../config.js';
import { MailDelivery } from '../mail-delivery.js';
import { token, TOKENS } from '../tokens.js';

/** The purge of mail sent or given up long enough ago, for the housekeeping round. */
export const SETTLED_MAIL_PURGE = token<PurgeSettledMail>('PurgeSettledMail');

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
  bind(SETTLED_MAIL_PURGE).toResolvedValue(
    (outbox: MailOutbox, clock: Clock, config: Config) => new PurgeSettledMail(outbox, clock, config.mail.retentionMs),
    [TOKENS.MailOutbox, TOKENS.Clock, TOKENS.Config],
  );
  bind(TOKENS.MailDelivery).toDynamicValue(async ({ getAsync }) => {
    const config = await getAsync(TOKENS.Config);
    const logger = (await getAsync(TOKENS.Logger)).child({ component: 'mail' });
    const wakeUp = await getAsync(TOKENS.MailWakeUp);
    const outbox = await getAsync(TOKENS.MailOutbox);
    const publicAddress = await getAsync(TOKENS.PublicAddress);
    const clock = await getAsync(TOKENS.Clock);
    const requestsWakeUp = new InProcessMailWakeUp();
    if (wakeUp instanceof InProcessMailWakeUp) wakeUp.alsoWake(requestsWakeUp);
    const requests = new MailRequestWorker(
      outbox,
      new ResolveMailRequest(await getAsync(TOKENS.UnitOfWork), await getAsync(TOKENS.MailQueue), clock),
      clock,
      requestsWakeUp,
      requestObserver(logger),
    );
    const mailer: Mailer =
      config.mail.smtpUrl === undefined
        ? new DevelopmentFileMailer(developmentOutboxDirectory(config.dataDir), config.mail.from, logger)
        : new NodemailerSmtpMailer({
            url: config.mail.smtpUrl,
            from: config.mail.from,
            maxConnections: config.mail.maxConnections,
            timeouts: { replyMs: config.mail.replyTimeoutMs },
          });
    if (!config.mail.enabled) return new MailDelivery(undefined, mailer, undefined, logger, requests);
    const worker = new MailDeliveryWorker(
      {
        outbox,
        mailer,
        renderer: new FileMailRenderer(config.mail.templatesDir ?? defaultMailTemplatesDirectory(), config.mail.appUrl ?? (() => publicAddress.url)),
        box: await getAsync(TOKENS.SecretBox),
        clock,
        wakeUp,
        observer: deliveryObserver(logger, await getAsync(TOKENS.Metrics)),
        audit: await getAsync(TOKENS.AuditTrail),
      },
      {
        ...DEFAULT_DELIVERY_POLICY,
        concurrency: config.mail.maxConnections,
        retry: {
          ...DEFAULT_DELIVERY_POLICY.retry,
          maxUncertainRetries: config.mail.maxUncertainRetries,
          uncertainRetryDelayMs: config.mail.uncertainRetryDelayMs,
        },
        messageIdDomain: mailDomain(config.mail.from),
      },
    );
    const listener =
      config.database.kind === 'postgres'
        ? new PostgresMailListener({
            url: config.database.url,
            // The NOTIFY of a request committed elsewhere wakes the request worker too (see alsoWake).
            onNotify: () => wakeUp.wake(),
            onError: (error) => logger.warn({ err: error.message }, 'mail listener connection lost; polling until it is back'),
          })
        : undefined;
    return new MailDelivery(worker, mailer, listener, logger, requests);
  });
});

/** MAIL_FROM's domain (`Name <no-reply@example.com>` gives example.com): the right side of every Message-ID. */
export function mailDomain(from: string): string {
  return /@([^\s@<>]+)>?\s*$/.exec(from)?.[1] ?? 'localhost';
}

/**
 * Logs name the recipient's domain only: a log is no place for a list of users' addresses. Attempts and retries
 * are counted, never logged one by one: a failing relay gives one line when it starts failing and one when it
 * recovers; a mail given up gives one line.
 */
function deliveryObserver(logger: Logger, metrics: PrometheusMetrics): MailDeliveryObserver {
  const about = (mail: { id: string; kind: string; to: string; attempts: number }) => ({
    mail: mail.id,
    kind: mail.kind,
    domain: mail.to.slice(mail.to.lastIndexOf('@') + 1),
    attempt: mail.attempts + 1,
  });
  return {
    attempted(_mail, outcome) {
      metrics.countMailAttempt(outcome.kind);
    },
    delivered(mail, seconds) {
      metrics.countMail('sent', seconds);
      logger.info({ ...about(mail), seconds }, 'mail sent');
    },
    failed(mail, reason, cause) {
      metrics.countMail('failed');
      logger.error({ ...about(mail), cause, reason }, 'mail given up');
    },
    failing(started) {
      logger.warn({ since: started.since, reason: started.firstReason }, 'mail delivery failing; retrying with backoff (one line until it recovers)');
    },
    recovered(ended) {
      logger.info(
        { since: ended.since, failedAttempts: ended.failedAttempts, seconds: Math.round((ended.until.getTime() - ended.since.getTime()) / 1000), lastReason: ended.lastReason },
        'mail delivery recovered',
      );
    },
    passFailed(error) {
      logger.warn({ err: error }, 'mail delivery pass failed; retrying at the next wake-up');
    },
  };
}

/** The request worker resolves without sending: only its failures are worth a line (a request given up is lost). */
function requestObserver(logger: Logger): MailRequestObserver {
  return {
    attempted() {},
    delivered() {},
    failed(request, reason, cause) {
      logger.error({ request: request.id, kind: request.kind, cause, reason }, 'mail request given up');
    },
    failing(started) {
      logger.warn({ since: started.since, reason: started.firstReason }, 'mail requests cannot be resolved; retrying with backoff');
    },
    recovered(ended) {
      logger.info({ since: ended.since, failedAttempts: ended.failedAttempts }, 'mail requests resolved again');
    },
    passFailed(error) {
      logger.warn({ err: error }, 'mail request pass failed; retrying at the next wake-up');
    },
  };
}
