import { ContainerModule } from 'inversify';
import type { Logger } from 'pino';
import { InProcessMailWakeUp } from '../../adapters/memory/in-process-mail-wake-up.js';
import { IpaddrWebhookTargetGuard } from '../../adapters/outbound-http/ipaddr-webhook-target-guard.js';
import { NodeHttpWebhookSender } from '../../adapters/outbound-http/node-http-webhook-sender.js';
import { StandardWebhooksSigner } from '../../adapters/standardwebhooks/standard-webhooks-signer.js';
import {
  ExportMyData,
  ManageWebhooks,
  PurgeSettledDeliveries,
  webhookDeliveryPolicy,
  WebhookDeliveryWorker,
  type AuditTrail,
  type ClaimedWebhookDelivery,
  type Clock,
  type Reauthentication,
  type SecretBox,
  type UnitOfWork,
  type WebhookDeliveryQueue,
  type WebhookEndpointRepository,
  type WebhookTargetGuard,
} from '../../application/index.js';
import type { QueueObserver } from '../../application/core/durable-queue/index.js';
import type { Config } from '../config.js';
import { TOKENS } from '../tokens.js';

/** Webhooks: endpoint management, the SSRF rule, and the delivery worker every instance runs on the shared queue. */
export const webhooksModule = new ContainerModule(({ bind }) => {
  bind(TOKENS.WebhookWakeUp).toConstantValue(new InProcessMailWakeUp());
  bind(TOKENS.WebhookTargetGuard).toResolvedValue((config: Config) => new IpaddrWebhookTargetGuard({ allowPrivate: config.webhookAllowPrivateTargets }), [TOKENS.Config]);
  bind(TOKENS.ManageWebhooks).toResolvedValue(
    (
      endpoints: WebhookEndpointRepository,
      deliveries: WebhookDeliveryQueue,
      unitOfWork: UnitOfWork,
      guard: WebhookTargetGuard,
      box: SecretBox,
      clock: Clock,
      audit: AuditTrail,
      wakeUp: InProcessMailWakeUp,
      reauthentication: Reauthentication,
    ) =>
      // Step-up's one rule of sensitive actions (RFC 9470): a fresh session, or a 401 insufficient_user_authentication.
      new ManageWebhooks(endpoints, deliveries, unitOfWork, guard, box, clock, audit, reauthentication, () => wakeUp.wake()),
    [
      TOKENS.WebhookEndpointRepository,
      TOKENS.WebhookDeliveryQueue,
      TOKENS.UnitOfWork,
      TOKENS.WebhookTargetGuard,
      TOKENS.SecretBox,
      TOKENS.Clock,
      TOKENS.AuditTrail,
      TOKENS.WebhookWakeUp,
      TOKENS.Reauthentication,
    ],
  );
  bind(TOKENS.HousekeepingJob).toResolvedValue(
    (deliveries: WebhookDeliveryQueue, clock: Clock, config: Config) => new PurgeSettledDeliveries(deliveries, clock, config.webhookRetentionMs),
    [TOKENS.WebhookDeliveryQueue, TOKENS.Clock, TOKENS.Config],
  );
  bind(TOKENS.ExportMyData).toDynamicValue(
    async ({ getAsync, getAllAsync }) =>
      new ExportMyData(await getAllAsync(TOKENS.ExportSection), await getAsync(TOKENS.Reauthentication), await getAsync(TOKENS.AuditTrail), await getAsync(TOKENS.Clock)),
  );
  bind(TOKENS.WebhookDeliveryWorker).toDynamicValue(async ({ getAsync }) => {
    const config = await getAsync(TOKENS.Config);
    const logger = (await getAsync(TOKENS.Logger)).child({ component: 'webhooks' });
    return new WebhookDeliveryWorker(
      {
        queue: await getAsync(TOKENS.WebhookDeliveryQueue),
        endpoints: await getAsync(TOKENS.WebhookEndpointRepository),
        unitOfWork: await getAsync(TOKENS.UnitOfWork),
        audit: await getAsync(TOKENS.AuditTrail),
        guard: await getAsync(TOKENS.WebhookTargetGuard),
        sender: new NodeHttpWebhookSender(),
        signer: new StandardWebhooksSigner(),
        box: await getAsync(TOKENS.SecretBox),
        clock: await getAsync(TOKENS.Clock),
        wakeUp: await getAsync(TOKENS.WebhookWakeUp),
        observer: deliveryLog(logger),
      },
      webhookDeliveryPolicy(config.webhookRetryDelaysMs),
    );
  });
});

/**
 * Endpoints are named by id, never by URL (a URL may carry a token in its query). A receiver that fails gives one
 * line when it starts and one when it recovers; a delivery given up gives one line.
 */
function deliveryLog(logger: Logger): QueueObserver<ClaimedWebhookDelivery> {
  const about = (item: ClaimedWebhookDelivery) => ({ delivery: item.id, endpoint: item.endpointId, type: item.type, attempt: item.attempts + 1 });
  return {
    attempted() {},
    delivered(item, seconds) {
      logger.debug({ ...about(item), seconds }, 'webhook delivered');
    },
    failed(item, reason, cause) {
      logger.warn({ ...about(item), cause, reason }, 'webhook delivery given up');
    },
    failing(started) {
      logger.warn({ since: started.since, reason: started.firstReason }, 'webhook deliveries failing; retrying on schedule (one line until they recover)');
    },
    recovered(ended) {
      logger.info({ since: ended.since, failedAttempts: ended.failedAttempts, lastReason: ended.lastReason }, 'webhook deliveries recovered');
    },
    passFailed(error) {
      logger.warn({ err: error }, 'webhook delivery pass failed; retrying at the next wake-up');
    },
  };
}
